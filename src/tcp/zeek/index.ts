/** Zeek-compatible conn.log view of a TCP connection: history, conn_state, byte and packet counts. */
export { zeekConnState, type ZeekConnState } from './conn-state';
export { ZEEK_STATE_CODE, ZeekEndpointColumns, type ZeekEndpointState } from './endpoint';
export { isLikelyServerPort, zeekFlipsFirstPacket } from './server-ports';
export { ZeekConnTracker } from './tracker';
