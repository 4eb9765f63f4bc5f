import type { StateRecords } from './state-records';
import type { TcpState } from './tcp-state';

/** What one side of a connection has shown on the wire so far. Plain data, updated in place. */
export interface Side {
  addr: Buffer;
  port: number;
  packets: number;
  /** Frame bytes on the wire (as tshark's conversation table counts them). */
  bytes: number;
  payloadBytes: number;
  ipBytes: number;
  /** Set once the side is seen sending a SYN or SYN-ACK. */
  synSeen: boolean;
  isn: number;
  /** Highest seq + len sent (next sequence number expected by the peer). */
  nextSeq: number;
  nextSeqSet: boolean;
  /** Last acknowledgement number and raw window this side advertised. */
  lastAck: number;
  ackSet: boolean;
  window: number;
  windowScale: number;
  finSent: boolean;
  /** Sequence number of the FIN (after any payload riding on it). */
  finSeq: number;
  finAcked: boolean;
  rstSent: boolean;
  zeroWindow: boolean;
  firstDataFrame: number;
  firstDataAt: number;
  /** The last payload: its report event is made from these when the connection is over. */
  lastDataFrame: number;
  lastDataAt: number;
  lastDataSeq: number;
  lastDataAck: number;
  lastDataLen: number;
  state: TcpState | null;
  /** The side's state changes: a chain in StateRecords (-1: none yet). */
  statesHead: number;
  statesTail: number;
}

export function newSide(addr: Buffer, port: number): Side {
  return {
    addr, port, packets: 0, bytes: 0, payloadBytes: 0, ipBytes: 0,
    synSeen: false, isn: 0, nextSeq: 0, nextSeqSet: false,
    lastAck: 0, ackSet: false, window: 0, windowScale: -1,
    finSent: false, finSeq: 0, finAcked: false, rstSent: false, zeroWindow: false,
    firstDataFrame: 0, firstDataAt: 0, lastDataFrame: 0, lastDataAt: 0, lastDataSeq: 0, lastDataAck: 0, lastDataLen: 0,
    state: null, statesHead: -1, statesTail: -1,
  };
}

export function enterState(
  side: Side, states: StateRecords, state: TcpState | null, at: number, frame: number, inferred = false,
): void {
  if (state === null || state === side.state) return;
  side.state = state;
  side.statesTail = states.append(side.statesTail, state, at, frame, inferred);
  if (side.statesHead < 0) side.statesHead = side.statesTail;
}
