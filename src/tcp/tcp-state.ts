/** RFC 793 states of one side of a connection, as far as the wire shows them. */

export type TcpState =
  | 'SYN_SENT'
  | 'SYN_RECEIVED'
  | 'ESTABLISHED'
  | 'FIN_WAIT_1'
  | 'FIN_WAIT_2'
  | 'CLOSING'
  | 'TIME_WAIT'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'CLOSED'
  | 'RESET';

/** Every state; listed by key so that the compiler notices one added to the type. */
export const TCP_STATES = Object.keys({
  'SYN_SENT': 0, 'SYN_RECEIVED': 0, 'ESTABLISHED': 0, 'FIN_WAIT_1': 0, 'FIN_WAIT_2': 0, 'CLOSING': 0, 'TIME_WAIT': 0,
  'CLOSE_WAIT': 0, 'LAST_ACK': 0, 'CLOSED': 0, 'RESET': 0,
} satisfies Record<TcpState, 0>) as TcpState[];

/** Codes of the states as the replay's typed columns keep them: 0 for no state yet, then in TCP_STATES's order. */
const BY_CODE: readonly (TcpState | null)[] = [null, ...TCP_STATES];
const CODE = new Map(BY_CODE.map((state, code) => [state, code]));

export function tcpStateCode(state: TcpState | null): number {
  return CODE.get(state) ?? 0;
}

export function tcpStateOf(code: number): TcpState | null {
  return BY_CODE[code];
}

export interface StateChange {
  state: TcpState;
  /** Capture time the wire showed the change (epoch seconds). */
  at: number;
  frame: number;
  /** True when no packet proved it (a capture that starts mid-connection). */
  inferred?: boolean;
}

/** The side sends its first FIN. */
export function afterOwnFin(state: TcpState | null): TcpState | null {
  switch (state) {
    case 'CLOSE_WAIT': return 'LAST_ACK';
    case null:
    case 'SYN_SENT':
    case 'SYN_RECEIVED':
    case 'ESTABLISHED': return 'FIN_WAIT_1';
    default: return null;
  }
}

/** The peer acknowledged this side's FIN. */
export function afterFinAcked(state: TcpState | null): TcpState | null {
  switch (state) {
    case 'FIN_WAIT_1': return 'FIN_WAIT_2';
    case 'CLOSING': return 'TIME_WAIT';
    case 'LAST_ACK': return 'CLOSED';
    default: return null;
  }
}

/** This side acknowledged the peer's FIN, so it has received it. */
export function afterPeerFin(state: TcpState | null): TcpState | null {
  switch (state) {
    case null:
    case 'SYN_RECEIVED':
    case 'ESTABLISHED': return 'CLOSE_WAIT';
    case 'FIN_WAIT_1': return 'CLOSING';
    case 'FIN_WAIT_2': return 'TIME_WAIT';
    default: return null;
  }
}

/** States a RST no longer changes: the side was already done with the connection. */
export function isFinished(state: TcpState | null): boolean {
  return state === 'CLOSED' || state === 'TIME_WAIT' || state === 'RESET';
}
