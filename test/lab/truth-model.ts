import type { Host, WireSpec } from './links';
import type { Sysctls } from './sysctl';

/** What the kernels said during a lab run: captures/<scenario>.truth.json. */
export const TRUTH_SCHEMA = 'tcpteardown.lab-truth/1';

/** A socket stayed in `state` from the first to the last snapshot that showed it there (epoch seconds):
 * the real change happened between the snapshot before and the first one, and so on at the end. */
export interface StateInterval {
  /** ss's name for the state (ESTAB, CLOSE-WAIT, FIN-WAIT-2, …). */
  state: string;
  from: number;
  to: number;
  /** Most unread (recv) and unacknowledged (send) bytes seen in that state, when not zero. */
  recv_q_max?: number;
  send_q_max?: number;
}

export interface TruthConnection {
  client: string;
  server: string;
  /** Each host's socket for this connection; empty when no snapshot caught it. */
  states: Record<Host, StateInterval[]>;
}

export interface TruthListener {
  address: string;
  backlog: number;
  /** Most connections seen waiting in the accept queue at once. */
  peak: number;
  /** [time, accept-queue length] at every snapshot. */
  queue: [number, number][];
}

export interface TruthCapture {
  file: string;
  /** The command that made it, run inside the namespace named by `where`. */
  command: string;
  where: string;
  packets: number;
}

export type ParamValue = number | string | boolean;

export interface Truth {
  schema: typeof TRUTH_SCHEMA;
  scenario: string;
  summary: string;
  params: Record<string, ParamValue>;
  lab: {
    ipv6: boolean;
    wire: WireSpec | null;
    /** What the scenario set in each namespace. */
    sysctls: Record<Host, Sysctls>;
    /** `uname -r`, and the timing settings the namespaces had by default. */
    kernel: { release: string; defaults: Sysctls };
    addresses: Record<Host, { v4: string; v6: string }>;
  };
  poll: {
    interval_s: number;
    /** Half the longest `ss` run: how far a snapshot can be from its recorded time. */
    max_spread_s: number;
    times: Record<Host, number[]>;
  };
  timing: { capture_start: number; traffic_start: number; traffic_end: number; capture_end: number; duration_s: number };
  captures: TruthCapture[];
  /** `nstat` counters of each host's namespace at the end of the capture (they start at zero). */
  counters: Record<Host, Record<string, number>>;
  listeners: TruthListener[];
  connections: TruthConnection[];
}
