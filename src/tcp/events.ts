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

/** How a RST's sequence number fits what its receiver expects (RFC 5961 §3). */
export type RstSeqFit = 'exact' | 'in-window' | 'out-of-window' | 'unknown';

export interface ConnEvent {
  type: ConnEventType;
  /** Side index inside the connection: 0 = the first packet's source, 1 = its destination. */
  side: 0 | 1;
  at: number;
  frame: number;
  seq: number;
  ack: number;
  len: number;
  /** RST only: whether the ACK flag was set, and how its seq fits the receiver's window. */
  rstWithAck?: boolean;
  rstSeqFit?: RstSeqFit;
  /** FIN and RST: seconds since the last payload in either direction (or the handshake). */
  idleS?: number;
}
