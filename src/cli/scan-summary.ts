import { join } from 'node:path';
import { fmtBytes, fmtCount, plural } from '../format';
import { batchOutcome } from '../scan/index-build';
import { unitLabel } from '../scan/index-entry';
import type { ScanIndex } from '../scan/index-model';
import { worstFirst } from '../scan/worst-first';
import { EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE } from './exit-codes';
import { entryLine } from './scan-progress';

/** Lines of the summary that list files stop here; index.json has them all. */
const LIST_LIMIT = 10;

/** 0 clean, 1 findings at or above --fail-on, 2 an input unreadable, 3 both (README "Exit codes"). */
export function batchExitCode(index: ScanIndex): number {
  const outcome = batchOutcome(index);
  return (outcome.findings ? EXIT_FINDINGS : EXIT_OK) | (outcome.unreadable ? EXIT_UNREADABLE : EXIT_OK);
}

/** Unreadable and damaged inputs on stderr (always); what was found and where the index is on stdout. */
export function printSummary(index: ScanIndex, out: string, quiet: boolean): void {
  for (const f of index.files) {
    if (f.status === 'error') process.stderr.write(`tcpteardown: ${f.file}: ${f.error ?? ''}\n`);
    else if (f.status === 'warning') process.stderr.write(`tcpteardown: ${f.file}: warning: ${f.warnings?.[0] ?? ''}; analysed up to there\n`);
  }
  if (quiet) return;
  const t = index.totals;
  const merged = index.files.filter((f) => f.members);
  const lines = [
    `${plural(t.captures, 'capture')} in ${plural(t.files, 'report')} · ${fmtBytes(t.size_bytes)} · ${plural(t.packets, 'packet')} · ${plural(t.connections, 'connection')}`
      + `${t.by_status.error > 0 ? ` · ${fmtCount(t.by_status.error)} unreadable` : ''}${t.by_status.warning > 0 ? ` · ${fmtCount(t.by_status.warning)} damaged` : ''}`,
    `findings: ${(['critical', 'warning', 'info'] as const).map((s) => `${fmtCount(t.findings.by_severity[s])} ${s}`).join(', ')}`,
  ];
  const worst = index.files.filter((f) => f.findings.total > 0).sort(worstFirst);
  lines.push(...listed('worst', worst.map(entryLine)));
  lines.push(...listed('merged rotated sets', merged.map(unitLabel)));
  lines.push(...listed(`skipped ${plural(t.skipped, 'file')}`, index.skipped.map((s) => `${s.file}: ${s.reason}`)));
  lines.push(`index: ${join(out, 'index.html')} (and index.json)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function listed(title: string, items: string[]): string[] {
  if (items.length === 0) return [];
  const more = items.length > LIST_LIMIT ? [`  … ${fmtCount(items.length - LIST_LIMIT)} more in index.json`] : [];
  return [`${title}:`, ...items.slice(0, LIST_LIMIT).map((i) => `  ${i}`), ...more];
}
