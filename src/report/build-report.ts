import type { Analysis } from '../analyze';
import { linkTypeName } from '../decode/link-type-name';
import type { FactsById } from '../detect/connection-facts';
import type { FindingList } from '../detect/finding-list';
import { runDetectors, type DetectOptions, type RetirementFindings } from '../detect/run-detectors';
import type { Thresholds } from '../detect/thresholds';
import { connectionJson } from '../tcp/connection-record';
import { listenersJson } from './listeners-json';
import { connectionArray, type ConnectionSource } from './connection-source';
import { REPORT_SCHEMA, type Ending, type ListenerJson, type Report, type SummaryJson, type ThresholdsJson } from './report-model';
import { TOOL_VERSION } from './tool-version';

export interface ReportSource {
  /** The name the user gave ('-' for standard input). */
  file: string;
  sizeBytes: number;
}

/** `connections`: every connection, when the caller spooled them as they retired (see pipeline.ts); by
 * default, the connections the analysis kept (which is none when analyzeCapture was given onRetire:
 * then they must be passed); `retired`: the connection-scope findings the caller made as they retired. */
export function buildReport(
  analysis: Analysis, source: ReportSource, detect: DetectOptions,
  connections: ConnectionSource = connectionArray(analysis.connections.map(connectionJson)), retired?: RetirementFindings,
): Report {
  const { findings, incidents, listeners } = runDetectors(connections, analysis.firstTs ?? 0, analysis.lastTs ?? 0, detect, retired);
  const skipped: Record<string, number> = {};
  for (const [reason, count] of Object.entries(analysis.skipped)) skipped[reason] = count;
  for (const [linkType, count] of Object.entries(analysis.unknownLinkTypes)) {
    skipped[`unknown-link-type:${linkTypeName(Number(linkType))}`] = count;
  }
  delete skipped['unknown-link-type'];
  const { firstTs, lastTs } = analysis;
  let listenerList: ListenerJson[] | undefined;
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'tcpteardown', version: TOOL_VERSION },
    input: {
      file: source.file,
      format: analysis.info.format,
      gzip: analysis.info.gzip,
      byte_order: analysis.info.byteOrder,
      sections: analysis.info.sections,
      link_types: analysis.info.linkTypes.map(linkTypeName),
      size_bytes: source.sizeBytes,
      packets: analysis.packets,
      tcp_packets: analysis.tcpPackets,
      first_ts: firstTs,
      last_ts: lastTs,
      duration_s: firstTs === null || lastTs === null ? 0 : Math.round((lastTs - firstTs) * 1e6) / 1e6,
      skipped,
      damaged: analysis.damaged,
      issues: analysis.issues.map((i) => ({ ...i })),
      connection_budget: {
        max: Number.isFinite(analysis.maxConnections) ? analysis.maxConnections : null,
        first_frame_over: analysis.firstOverBudgetFrame || null,
      },
    },
    thresholds: thresholdsJson(detect.thresholds),
    summary: summarize(connections, findings),
    incidents,
    // Made when read: only the JSON report has them. The first screen and the HTML report waited for
    // them (about 1.3 % of the instructions of bench (a)/10's first screen on one thread; some 100 ms of
    // (a), in the report that follows the replay, one thread working). Read before the connections are
    // closed, as everything that reads them.
    get listeners(): ListenerJson[] {
      listenerList ??= listenersJson(connections, findings, listeners);
      return listenerList;
    },
    findings,
    connections,
  };
}

/** Thresholds as reports name them (snake case, seconds). */
export function thresholdsJson(t: Thresholds): ThresholdsJson {
  return {
    half_close_s: t.halfCloseS,
    late_fin_s: t.lateFinS,
    accept_delay_s: t.acceptDelayS,
    saturation_min_waiting: t.saturationMinWaiting,
    rst_reply_s: t.rstReplyS,
    zero_window_s: t.zeroWindowS,
    idle_timeout_min_s: t.idleTimeoutMinS,
  };
}

function summarize(connections: FactsById, findings: FindingList): SummaryJson {
  const byConnState: Record<string, number> = {};
  const byEnding: Record<Ending, number> = { fin: 0, 'fin-rst': 0, rst: 0, 'half-closed': 0, open: 0, unanswered: 0 };
  let partial = 0;
  for (const id of connections.ids) {
    const c = connections.factsAt(id);
    byConnState[c.connState] = (byConnState[c.connState] ?? 0) + 1;
    byEnding[c.ending]++;
    if (c.partial) partial++;
  }
  const bySeverity = { critical: 0, warning: 0, info: 0 };
  for (let i = 0; i < findings.length; i++) bySeverity[findings.severityOf(i)]++;
  return { connections: connections.ids.length, findings_by_severity: bySeverity, partial, by_conn_state: byConnState, by_ending: byEnding };
}
