import type { Report } from '../report/report-model';
import { countFindings, emptyCounts, type FindingLabel } from './finding-counts';
import type { IndexFile, ReportPaths } from './index-model';

/** How many incidents of each report the index shows. */
const WORST_INCIDENTS = 3;

/** What the index says about one analysed unit, before its report is known. */
export interface UnitOfAnalysis {
  file: string;
  /** Set only for a merged set of two or more files. */
  members?: string[];
  sizeBytes: number;
}

export function entryFromReport(report: Report, unit: UnitOfAnalysis, reports: ReportPaths, warnings: string[]): IndexFile {
  const { findings } = report;
  /** Per listener, the kinds and severities of its findings. */
  const byListener = new Map<string, FindingLabel[]>();
  const all: FindingLabel[] = [];
  for (let i = 0; i < findings.length; i++) {
    const label = { kind: findings.kindOf(i), severity: findings.severityOf(i) };
    all.push(label);
    const listener = findings.listenerOf(i);
    if (listener === undefined) continue;
    const list = byListener.get(listener);
    if (list) list.push(label);
    else byListener.set(listener, [label]);
  }
  const { input } = report;
  return {
    ...head(unit),
    status: input.damaged ? 'warning' : 'ok',
    ...(input.damaged ? { warnings } : {}),
    size_bytes: unit.sizeBytes,
    packets: input.packets,
    connections: report.summary.connections,
    first_ts: input.first_ts,
    last_ts: input.last_ts,
    findings: countFindings(all),
    listeners: [...byListener.keys()].sort().map((listener) => ({ listener, findings: countFindings(byListener.get(listener) ?? []) })),
    worst: report.incidents.slice(0, WORST_INCIDENTS).map((i) => ({
      kind: i.kind, severity: i.severity, listener: i.listener, findings: i.findings, connections: i.connections, summary: i.summary,
    })),
    reports,
  };
}

export function errorEntry(unit: UnitOfAnalysis, error: string): IndexFile {
  return {
    ...head(unit),
    status: 'error',
    error,
    size_bytes: unit.sizeBytes,
    packets: 0,
    connections: 0,
    first_ts: null,
    last_ts: null,
    findings: emptyCounts(),
    listeners: [],
    worst: [],
    reports: null,
  };
}

/** The name the per-file report gives the capture: a merged set names its first and last file. */
export function unitLabel(unit: Pick<UnitOfAnalysis, 'file' | 'members'>): string {
  const m = unit.members;
  return m ? `${m[0]} … ${m[m.length - 1]} (${m.length} files merged)` : unit.file;
}

function head(unit: UnitOfAnalysis): Pick<IndexFile, 'file' | 'members'> {
  return unit.members ? { file: unit.file, members: unit.members } : { file: unit.file };
}
