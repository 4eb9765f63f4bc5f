import type { CaptureFormat } from '../capture/record';
import type { Finding } from '../detect/finding';
import type { Incident } from '../detect/run-detectors';
import type { ConnEventType, RstSeqFit } from '../tcp/events';
import type { TcpState } from '../tcp/tcp-state';

/** The versioned JSON contract (schema/report.schema.json documents every field). */
export const REPORT_SCHEMA = 'tcpteardown.report/1';

export type Role = 'client' | 'server';
export type PerRole<T> = { client: T; server: T };

/** How a connection ended, from the control segments the capture holds. */
export type Ending =
  | 'fin'        // both sides sent FIN, no RST
  | 'fin-rst'    // FIN and RST (e.g. RST answering a late FIN)
  | 'rst'        // RST without any FIN
  | 'half-closed' // one side's FIN only, capture ended
  | 'open'       // neither FIN nor RST
  | 'unanswered'; // SYNs only, nothing from the server

export interface StateChangeJson {
  state: TcpState;
  at: number;
  frame: number;
  inferred?: boolean;
}

export interface EventJson {
  type: ConnEventType;
  by: Role;
  at: number;
  frame: number;
  seq: number;
  ack: number;
  len: number;
  rst_with_ack?: boolean;
  rst_seq_fit?: RstSeqFit;
  idle_s?: number;
}

export interface ConnectionJson {
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
  filter: string;
}

export interface InputJson {
  file: string;
  format: CaptureFormat;
  gzip: boolean;
  byte_order: 'LE' | 'BE';
  sections: number;
  link_types: string[];
  size_bytes: number;
  packets: number;
  tcp_packets: number;
  first_ts: number | null;
  last_ts: number | null;
  duration_s: number;
  skipped: Record<string, number>;
  damaged: boolean;
  issues: { code: string; offset: number; frame?: number; message: string }[];
  /** --max-connections and what it held back (skipped['connection-budget'] counts the packets). */
  connection_budget: { max: number | null; first_frame_over: number | null };
}

export interface SummaryJson {
  connections: number;
  findings_by_severity: Record<'critical' | 'warning' | 'info', number>;
  partial: number;
  by_conn_state: Record<string, number>;
  by_ending: Record<Ending, number>;
}

/** The thresholds the detectors used, in seconds (echoed so a report can be read without the command line). */
export interface ThresholdsJson {
  half_close_s: number;
  late_fin_s: number;
  accept_delay_s: number;
  saturation_min_waiting: number;
  rst_reply_s: number;
  zero_window_s: number;
  idle_timeout_min_s: number;
}

/** What one server endpoint saw. */
export interface ListenerJson {
  listener: string;
  connections: number;
  first_ts: number;
  last_ts: number;
  /** Most of its connections open at once. */
  max_concurrent: number;
  by_ending: Record<Ending, number>;
  /** Findings on this listener, by kind. */
  findings: Record<string, number>;
  /** From listener-saturation, when it was found: the inferred limit and most connections waiting at once. */
  limit: number | null;
  waiting_max: number | null;
}

export interface ReportJson {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'tcpteardown'; version: string };
  input: InputJson;
  thresholds: ThresholdsJson;
  summary: SummaryJson;
  /** Worst first. */
  incidents: Incident[];
  /** Every server endpoint, those with findings first. */
  listeners: ListenerJson[];
  findings: Finding[];
  connections: ConnectionJson[];
}
