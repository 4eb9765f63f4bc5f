import type { CaptureFormat } from '../capture/record';
import type { Finding } from '../detect/finding';
import { FindingList } from '../detect/finding-list';
import type { Incident } from '../detect/run-detectors';
import { connectionArray, type ConnectionSource } from './connection-source';
import type { ConnectionJson, Ending } from '../tcp/connection-view';

/** The versioned JSON contract (schema/report.schema.json documents every field). */
export const REPORT_SCHEMA = 'tcpteardown.report/1';

/** The connection view is built before detection; the report carries it as is. */
export type { ConnectionJson, Ending, EventJson, PerRole, Role, StateChangeJson } from '../tcp/connection-view';

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

/** The report as the pipeline hands it to the writers: the JSON document with its connections in a
 * ConnectionSource instead of an array (see connection-source.ts). */
export interface Report extends Omit<ReportJson, 'connections' | 'findings'> {
  /** Read back one at a time (a long capture's are put away, see FindingList). */
  findings: FindingList;
  connections: ConnectionSource;
}

/** Connection `id` of the report (read back from the spool when it was spooled). */
export function viewOf(report: Report, id: number): ConnectionJson {
  const view = report.connections.view(id);
  if (!view) throw new Error(`the report has no connection #${id}`);
  return view;
}

/** The JSON document made whole, every view in memory: for small reports and tests. */
export function reportJson(report: Report): ReportJson {
  return { ...report, findings: [...report.findings], connections: report.connections.all() };
}

/** A JSON document as a report for the writers. */
export function asReport(json: ReportJson): Report {
  return { ...json, findings: FindingList.of(json.findings), connections: connectionArray(json.connections) };
}
