import type { Role } from '../../../src/report/report-model';
import type { Truth } from '../truth-model';
import { keyOf, type Pair } from './match';
import { analyzerSpan, bracket, truthInterval, type Span } from './spans';
import { DELAYED_ACK_MAX_S, marginS } from './tolerance';

export interface CloseWaitComparison {
  key: string;
  role: Role;
  /** Kernel: first and last snapshot in CLOSE-WAIT, and whether it lasted to the end of the capture. */
  truth: { from: number; to: number; open: boolean } | null;
  analyzer: Span | null;
  /** Why the two disagree, or null. */
  problem: string | null;
}

/** Every side that sat in CLOSE_WAIT by either account. The analyzer's entry must fall between the
 * snapshot before the kernel's first CLOSE-WAIT and that one (its exit likewise around the kernel's
 * last), give or take the margin; a CLOSE_WAIT the kernel never showed must be shorter than a poll;
 * one the wire cannot show (the FIN never acknowledged) is no disagreement. */
export function compareCloseWaits(truth: Truth, pairs: Pair[]): CloseWaitComparison[] {
  const margin = marginS(truth);
  const out: CloseWaitComparison[] = [];
  for (const { truth: tc, report } of pairs) {
    for (const role of ['client', 'server'] as const) {
      const kernel = truthInterval(tc, role, 'CLOSE-WAIT');
      const wire = report ? analyzerSpan(report, role, 'CLOSE_WAIT') : null;
      if (!kernel && !wire) continue;
      const cmp: CloseWaitComparison = { key: keyOf(tc), role, truth: null, analyzer: wire, problem: null };
      out.push(cmp);
      if (!kernel) {
        const end = wire?.to ?? Infinity;
        if (wire && end - wire.from > truth.poll.interval_s + margin) cmp.problem = 'CLOSE_WAIT longer than a poll that the kernel never showed';
        continue;
      }
      const { before, after } = bracket(truth, role, kernel);
      cmp.truth = { from: kernel.from, to: kernel.to, open: after === null };
      if (!wire) {
        // A side reset before it acknowledged the peer's FIN was in CLOSE_WAIT, but no packet says so.
        const finUnacked = report !== undefined && report.events.some((e) => e.type === 'fin' && e.by !== role)
          && !report.events.some((e) => e.type === 'fin-ack' && e.by === role);
        if (!finUnacked) cmp.problem = 'the kernel showed CLOSE-WAIT, the analyzer no CLOSE_WAIT';
      } else if (wire.from < before - margin || wire.from > kernel.from + margin + DELAYED_ACK_MAX_S) {
        cmp.problem = `entered at ${wire.from}, the kernel between ${before} and ${kernel.from}`;
      } else if (after === null ? wire.to !== null : wire.to === null || wire.to < kernel.to - margin || wire.to > after + margin) {
        cmp.problem = `left at ${wire.to}, the kernel between ${kernel.to} and ${after ?? 'the end'}`;
      }
    }
  }
  return out;
}
