import { compare } from './index-build';
import type { Probe } from './probe';
import type { FoundFile } from './walk';

export interface InspectedCapture {
  file: FoundFile;
  gzip: boolean;
  /** Present for files of a candidate set with more than one file. */
  probe: Probe | null;
}

/**
 * Splits a candidate set into the runs that form one continuous capture: in time order, each file
 * starts at or after the latest packet before it, with the same link types and a format that
 * concatenates (concat-stream.ts); a damaged file ends its run (what follows the damage is lost).
 * Files without packets stay alone.
 */
export function continuousRuns(captures: readonly InspectedCapture[]): InspectedCapture[][] {
  const ordered = [...captures].sort((a, b) => startOf(a) - startOf(b) || compare(a.file.path, b.file.path));
  const runs: InspectedCapture[][] = [];
  /** Latest packet time of the current run. */
  let runEnd = Infinity;
  for (const c of ordered) {
    const run = runs.at(-1);
    const prev = run?.at(-1)?.probe;
    const next = c.probe;
    if (run && prev && next?.firstTs != null && next.firstTs >= runEnd && follows(prev, next)) {
      run.push(c);
      runEnd = Math.max(runEnd, next.lastTs ?? runEnd);
    } else {
      runs.push([c]);
      runEnd = next?.lastTs ?? Infinity;
    }
  }
  return runs;
}

function follows(prev: Probe, next: Probe): boolean {
  if (prev.damaged) return false;
  const sameFormat = prev.format === 'pcapng'
    ? next.format === 'pcapng'
    : next.format === prev.format && next.byteOrder === prev.byteOrder;
  return sameFormat && sameLinkTypes(prev.linkTypes, next.linkTypes);
}

function sameLinkTypes(a: readonly number[], b: readonly number[]): boolean {
  const sa = [...new Set(a)].sort((x, y) => x - y);
  const sb = [...new Set(b)].sort((x, y) => x - y);
  return sa.length === sb.length && sa.every((t, i) => t === sb[i]);
}

function startOf(c: InspectedCapture): number {
  return c.probe?.firstTs ?? Infinity;
}
