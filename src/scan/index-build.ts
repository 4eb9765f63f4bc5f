import { FINDING_KINDS, SEVERITY_RANK, type FindingKind, type Severity } from '../detect/finding';
import { TOOL_VERSION } from '../report/tool-version';
import { addCounts, emptyCounts } from './finding-counts';
import { INDEX_SCHEMA, type FindingCounts, type IndexFile, type ScanIndex, type SkippedFile, type Totals } from './index-model';

export type IndexHead = Pick<ScanIndex, 'inputs' | 'options' | 'shard'>;

/** The index of a run or of merged shards: one function, so both give the same bytes for the same files. */
export function buildIndex(head: IndexHead, files: readonly IndexFile[], skipped: readonly SkippedFile[]): ScanIndex {
  const sortedFiles = [...files].sort((a, b) => compare(a.file, b.file));
  const sortedSkipped = [...skipped].sort((a, b) => compare(a.file, b.file));
  return {
    schema: INDEX_SCHEMA,
    tool: { name: 'tcpteardown', version: TOOL_VERSION },
    ...head,
    files: sortedFiles,
    skipped: sortedSkipped,
    totals: totals(sortedFiles, sortedSkipped.length),
  };
}

/** What the exit code reports: a finding at or above failOn, an input that could not be read. */
export function batchOutcome(index: ScanIndex): { findings: boolean; unreadable: boolean } {
  const failOn = index.options.fail_on;
  return {
    findings: failOn !== null && index.files.some((f) => atOrAbove(f.findings, failOn)),
    unreadable: index.files.some((f) => f.status === 'error'),
  };
}

function atOrAbove(counts: FindingCounts, failOn: Severity): boolean {
  return (Object.keys(counts.by_severity) as Severity[]).some((s) => SEVERITY_RANK[s] >= SEVERITY_RANK[failOn] && counts.by_severity[s] > 0);
}

function totals(files: readonly IndexFile[], skipped: number): Totals {
  const out: Totals = {
    files: files.length, captures: 0, by_status: { ok: 0, warning: 0, error: 0 }, skipped,
    size_bytes: 0, packets: 0, connections: 0, findings: emptyCounts(), by_kind: [], by_listener: [],
  };
  const kindFiles = new Map<FindingKind, number>();
  const listeners = new Map<string, { files: number; findings: FindingCounts }>();
  for (const f of files) {
    out.captures += f.members?.length ?? 1;
    out.by_status[f.status]++;
    out.size_bytes += f.size_bytes;
    out.packets += f.packets;
    out.connections += f.connections;
    addCounts(out.findings, f.findings);
    for (const kind of Object.keys(f.findings.by_kind) as FindingKind[]) kindFiles.set(kind, (kindFiles.get(kind) ?? 0) + 1);
    for (const l of f.listeners) {
      const total = listeners.get(l.listener) ?? { files: 0, findings: emptyCounts() };
      total.files++;
      addCounts(total.findings, l.findings);
      listeners.set(l.listener, total);
    }
  }
  out.by_kind = FINDING_KINDS.filter((k) => kindFiles.has(k))
    .map((kind) => ({ kind, findings: out.findings.by_kind[kind] ?? 0, files: kindFiles.get(kind) ?? 0 }));
  out.by_listener = [...listeners].map(([listener, t]) => ({ listener, ...t }))
    .sort((a, b) => b.findings.total - a.findings.total || compare(a.listener, b.listener));
  return out;
}

/** Code-unit order: the same on every machine, whatever its locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
