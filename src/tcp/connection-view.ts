import type { ConnEvent } from './events';
import type { TcpState } from './tcp-state';

export type { Role } from './events';
export type PerRole<T> = { client: T; server: T };

/** How a connection ended, from the control segments the capture holds. */
export type Ending =
  | 'fin'        // both sides sent FIN, no RST
  | 'fin-rst'    // FIN and RST (e.g. RST answering a late FIN)
  | 'rst'        // RST without any FIN
  | 'half-closed' // one side's FIN only, capture ended
  | 'open'       // neither FIN nor RST
  | 'unanswered'; // SYNs only, nothing from the server

/** Every ending, in a fixed order (codes where views are kept as numbers). */
export const ENDINGS = Object.keys({ 'fin': 0, 'fin-rst': 0, 'rst': 0, 'half-closed': 0, 'open': 0, 'unanswered': 0 } satisfies Record<Ending, 0>) as Ending[];

export interface StateChangeJson {
  state: TcpState;
  at: number;
  frame: number;
  inferred?: boolean;
}

export type EventJson = ConnEvent;

/** A connection's view as the detectors and its facts read it: all of it but the Wireshark filter, which
 * only a report shows (making it was some 40 % of making a view, for every connection that retires). */
export interface ConnectionCore {
  id: number;
  client: string;
  server: string;
  start: number;
  end: number;
  duration_s: number;
  first_frame: number;
  last_frame: number;
  partial: boolean;
  previous: number | null;
  packets: PerRole<number>;
  bytes: PerRole<number>;
  payload_bytes: PerRole<number>;
  conn_state: string;
  history: string;
  ending: Ending;
  final_state: PerRole<TcpState | null>;
  states: PerRole<StateChangeJson[]>;
  events: EventJson[];
}

export interface ConnectionJson extends ConnectionCore {
  filter: string;
}
