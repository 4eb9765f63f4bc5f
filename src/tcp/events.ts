/** The teardown event log of a connection: what the analysis of endings needs, in frame order. */

export type ConnEventType =
  | 'syn'
  | 'syn-retransmit'
  | 'syn-ack'
  | 'syn-ack-retransmit'
  | 'challenge-ack'
  | 'handshake-complete'
  | 'first-data'
  | 'last-data'
  | 'fin'
  | 'fin-retransmit'
  | 'fin-ack'
  | 'rst'
  | 'zero-window'
  | 'window-reopen';

/** Every event type, in a fixed order (codes where events are kept as numbers); listed by key so that
 * the compiler notices one added to the type. */
export const CONN_EVENT_TYPES = Object.keys({
  'syn': 0, 'syn-retransmit': 0, 'syn-ack': 0, 'syn-ack-retransmit': 0, 'challenge-ack': 0, 'handshake-complete': 0,
  'first-data': 0, 'last-data': 0, 'fin': 0, 'fin-retransmit': 0, 'fin-ack': 0, 'rst': 0, 'zero-window': 0, 'window-reopen': 0,
} satisfies Record<ConnEventType, 0>) as ConnEventType[];

/** How a RST's sequence number fits what its receiver expects (RFC 5961 §3). */
export type RstSeqFit = 'exact' | 'in-window' | 'out-of-window' | 'unknown';
export const RST_SEQ_FITS = Object.keys({ 'exact': 0, 'in-window': 0, 'out-of-window': 0, 'unknown': 0 } satisfies Record<RstSeqFit, 0>) as RstSeqFit[];

export type Role = 'client' | 'server';

export function otherRole(role: Role): Role {
  return role === 'client' ? 'server' : 'client';
}

/** One event, already in the report's shape (the report view shares these objects, field order included,
 * instead of copying a million of them). */
export interface ConnEvent {
  type: ConnEventType;
  /** Who sent the segment; relabelled if the roles flip later (Zeek's flip, see ZeekConnTracker). */
  by: Role;
  at: number;
  frame: number;
  seq: number;
  ack: number;
  len: number;
  /** RST only: whether the ACK flag was set, and how its seq fits the receiver's window. */
  rst_with_ack?: boolean;
  rst_seq_fit?: RstSeqFit;
  /** FIN and RST: seconds since the last payload in either direction (or the handshake). */
  idle_s?: number;
}
