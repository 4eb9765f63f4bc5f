/** What an incident sums up of its findings, read from the findings' columns in one pass. */
import type { Finding, Severity } from '../../src/detect/finding';
import { FindingList, FindingStore } from '../../src/detect/finding-list';
import { incidentSums } from '../../src/detect/run-detectors';
import { prng } from '../support/prng';

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];

describe('incidentSums', () => {
  it('agrees with the findings read whole, on random findings with many ties', () => {
    const random = prng(5);
    const int = (n: number): number => Math.floor(random() * n);
    for (let round = 0; round < 200; round++) {
      const findings = Array.from({ length: 1 + int(40) }, (_, i): Finding => ({
        kind: 'late-fin',
        severity: SEVERITIES[int(3)],
        // Some about several connections (listener findings), the rest about one; ids repeat.
        ...(int(5) === 0 ? { connections: [int(30), int(30)] } : { connection: int(30) }),
        // Some without a time (NaN: none counts) or with a negative duration (the longest is still the largest).
        at: int(6) === 0 ? NaN : 1_790_000_000 + int(8) / 4,
        ...(int(4) === 0 ? {} : { duration_s: int(6) / 2 - 1 }),
        ...(int(3) === 0 ? { duration_is_lower_bound: true } : {}),
        frames: [i + 1],
        filter: `frame.number == ${i + 1}`,
        summary: `finding ${i}`,
        explanation: '',
      }));
      const store = new FindingStore();
      const list = new FindingList(store, findings.map((f) => store.add(f, false)));
      // Every other finding, in order, as an incident's indices are.
      const indices = findings.map((_, i) => i).filter((i) => i % 2 === 0 || findings.length < 4);
      const mine = indices.map((i) => findings[i]);
      const longestS = Math.max(...mine.map((f) => f.duration_s ?? 0));
      const times = mine.map((f) => f.at).filter((at) => !Number.isNaN(at));
      expect(incidentSums(list, indices)).toEqual({
        durations: mine.flatMap((f) => (f.duration_s === undefined ? [] : [f.duration_s])).sort((a, b) => a - b),
        connections: new Set(mine.flatMap((f) => f.connections ?? [f.connection])).size,
        longest: indices[mine.findIndex((f) => (f.duration_s ?? 0) === longestS)],
        severity: SEVERITIES[Math.max(...mine.map((f) => SEVERITIES.indexOf(f.severity)))],
        lowerBounds: mine.filter((f) => f.duration_is_lower_bound === true).length,
        firstAt: times.length === 0 ? undefined : Math.min(...times),
        lastAt: times.length === 0 ? undefined : Math.max(...times),
      });
    }
  });
});
