import { SEVERITY_RANK, type Severity } from '../detect/finding';
import { compare } from './index-build';
import type { FindingCounts, IndexFile } from './index-model';

/** Severity first, count second: one critical outranks any number of warnings. */
export function worstScore(c: FindingCounts): number {
  const SCALE = 1e5;
  return (Object.keys(c.by_severity) as Severity[])
    .reduce((sum, s) => sum + Math.min(c.by_severity[s], SCALE - 1) * SCALE ** SEVERITY_RANK[s], 0);
}

/** Where to look first: the worst findings, then by name. */
export function worstFirst(a: IndexFile, b: IndexFile): number {
  return worstScore(b.findings) - worstScore(a.findings) || compare(a.file, b.file);
}
