import type { ZeekEndpointState } from './endpoint';

/** Zeek's conn.log conn_state values for TCP. */
export type ZeekConnState =
  | 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

/** A SYN, then anything but a handshake, ACK, FIN, gap or multi-flag packet, then the originator's RST. */
const SYN_THEN_RST = /^\^?S[^HAFGIQ]*R/;

function inactive(s: ZeekEndpointState): boolean {
  return s === 'INACTIVE' || s === 'PARTIAL';
}

/** The conn_state label, by the rules of base/protocols/conn/main.zeek, checked in the same order. */
export function zeekConnState(
  orig: ZeekEndpointState,
  resp: ZeekEndpointState,
  origBytes: number,
  respBytes: number,
  history: string,
): ZeekConnState {
  if (resp === 'RESET') {
    if (orig === 'SYN_SENT' || orig === 'SYN_ACK_SENT') return 'REJ';
    if (orig === 'RESET' && origBytes === 0 && respBytes === 0) return 'REJ';
    return inactive(orig) ? 'RSTRH' : 'RSTR';
  }
  if (orig === 'RESET') {
    if (!inactive(resp)) return 'RSTO';
    return SYN_THEN_RST.test(history) ? 'RSTOS0' : 'OTH';
  }
  if (orig === 'CLOSED' && resp === 'CLOSED') return 'SF';
  if (orig === 'CLOSED') return inactive(resp) ? 'SH' : 'S2';
  if (resp === 'CLOSED') return inactive(orig) ? 'SHR' : 'S3';
  if (orig === 'SYN_SENT' && resp === 'INACTIVE') return 'S0';
  if (orig === 'ESTABLISHED' && resp === 'ESTABLISHED') return 'S1';
  return 'OTH';
}
