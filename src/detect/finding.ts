/** What a detector reports. Kind names are stable: reports, scripts and `--only` use them. */

export const FINDING_KINDS = [
  'listener-saturation',
  'half-closed',
  'late-fin',
  'rst-after-late-fin',
  'accept-delay',
  'syn-unanswered',
  'port-reuse',
  'keepalive-race',
  'abortive-close',
  'fin-unacked',
  'zero-window',
  'idle-timeout',
  'port-scan',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export type Severity = 'info' | 'warning' | 'critical';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** A measured value: seconds, counts, names, flags. */
export type MeasureValue = number | string | boolean | null;

export interface HeldSlot {
  connection: number;
  client: string;
  /** How long the connection held its slot, and how it ended. */
  held_s: number;
  idle_before_close_s: number | null;
  closed_by: 'client' | 'server' | null;
  /** A well-known default the idle time matches, e.g. "Go http.Transport IdleConnTimeout (90 s)". */
  matches: string | null;
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** The connection concerned, or several (listener-level findings). */
  connection?: number;
  connections?: number[];
  /** The server side, "ip:port". */
  listener?: string;
  /** When it happened (epoch seconds). */
  at: number;
  /** The main measured duration. */
  duration_s?: number;
  /** True when the capture ended first: the real duration is at least duration_s. */
  duration_is_lower_bound?: boolean;
  /** Other measured values, by name (seconds end in _s). */
  measures?: Record<string, MeasureValue>;
  /** listener-saturation: inferred concurrency limit, the connections holding the slots, most waiting at once. */
  limit?: number;
  held_by?: HeldSlot[];
  waiting_max?: number;
  /** Frames that prove it (1-based, as Wireshark numbers them). */
  frames: number[];
  /** A Wireshark display filter that shows exactly those frames. */
  filter: string;
  summary: string;
  explanation: string;
}
