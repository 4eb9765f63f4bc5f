import type { ReportJson } from '../../../src/report/report-model';
import type { Truth } from '../truth-model';
import { compareAcceptQueues, type QueueComparison } from './accept-queue';
import { compareCloseWaits, type CloseWaitComparison } from './close-wait';
import { compareCounters, type CountComparison } from './counters';
import { compareLateFinRsts, compareReuse, compareSimultaneous, type SetComparison } from './endings';
import { keyOf, matchConnections } from './match';
import { compareSyns, type SynComparison } from './syn';

/** The analyzer's account of a lab capture next to the kernels' (the truth file). */
export interface Agreement {
  unmatched: string[];
  closeWaits: CloseWaitComparison[];
  lateFinRsts: SetComparison;
  queues: QueueComparison[];
  syns: SynComparison;
  counters: CountComparison[];
  reuse: SetComparison;
  simultaneous: SetComparison;
}

export function compare(truth: Truth, report: ReportJson): Agreement {
  const pairs = matchConnections(truth, report);
  return {
    unmatched: pairs.filter((p) => !p.report).map((p) => keyOf(p.truth)),
    closeWaits: compareCloseWaits(truth, pairs),
    lateFinRsts: compareLateFinRsts(truth, pairs, report.connections),
    queues: compareAcceptQueues(truth, report),
    syns: compareSyns(truth, report.connections),
    counters: compareCounters(truth, report.connections),
    reuse: compareReuse(truth, report.connections),
    simultaneous: compareSimultaneous(truth, report.connections),
  };
}

/** Every point where the two accounts differ, one line each (empty: they agree). */
export function disagreements(a: Agreement): string[] {
  const out: string[] = a.unmatched.map((k) => `${k}: in the kernel's snapshots, not in the report`);
  for (const cw of a.closeWaits) if (cw.problem) out.push(`${cw.key} ${cw.role} CLOSE_WAIT: ${cw.problem}`);
  const sets: [string, SetComparison][] = [
    ['RST after a late FIN', a.lateFinRsts], ['unanswered SYNs', a.syns.unanswered],
    ['reused 4-tuples', a.reuse], ['simultaneous closes', a.simultaneous],
  ];
  for (const [what, s] of sets) {
    if (s.truth.join() !== s.analyzer.join()) out.push(`${what}: kernel [${s.truth.join(', ')}], analyzer [${s.analyzer.join(', ')}]`);
  }
  for (const q of a.queues) {
    if (q.truthPeak !== q.analyzerWaiting) out.push(`${q.listener} accept queue: kernel peak ${q.truthPeak}, analyzer ${q.analyzerWaiting} waiting`);
  }
  const counts: CountComparison[] = [
    { what: 'dropped SYNs', ...a.syns.dropped },
    { what: 'SYN retransmissions', ...a.syns.synRetransmits },
    { what: 'SYN-ACK retransmissions', ...a.syns.synAckRetransmits },
    ...a.counters,
  ];
  for (const c of counts) if (c.truth !== c.analyzer) out.push(`${c.what}: kernel ${c.truth}, analyzer ${c.analyzer}`);
  return out;
}
