import { FINDING_KINDS, type FindingKind, type Severity } from '../detect/finding';
import type { FindingCounts } from './index-model';

export function emptyCounts(): FindingCounts {
  return { total: 0, by_severity: { critical: 0, warning: 0, info: 0 }, by_kind: {} };
}

/** What counts need of a finding. */
export interface FindingLabel {
  kind: FindingKind;
  severity: Severity;
}

export function countFindings(findings: readonly FindingLabel[]): FindingCounts {
  const counts = emptyCounts();
  const byKind: Partial<Record<FindingKind, number>> = {};
  for (const f of findings) {
    counts.total++;
    counts.by_severity[f.severity]++;
    byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
  }
  counts.by_kind = inKindOrder(byKind);
  return counts;
}

/** Sums `from` into `into` (kinds kept in FINDING_KINDS order so equal totals serialise equally). */
export function addCounts(into: FindingCounts, from: FindingCounts): void {
  into.total += from.total;
  for (const s of Object.keys(into.by_severity) as Severity[]) into.by_severity[s] += from.by_severity[s];
  const byKind = { ...into.by_kind };
  for (const [kind, n] of Object.entries(from.by_kind) as [FindingKind, number][]) byKind[kind] = (byKind[kind] ?? 0) + n;
  into.by_kind = inKindOrder(byKind);
}

function inKindOrder(byKind: Partial<Record<FindingKind, number>>): Partial<Record<FindingKind, number>> {
  const out: Partial<Record<FindingKind, number>> = {};
  for (const kind of FINDING_KINDS) if (byKind[kind]) out[kind] = byKind[kind];
  return out;
}
