/** Counting intervals open at once, as the listener table and listener-saturation do. */
import { activeAt, mostAtOnce, timesWhileActive } from '../../src/detect/intervals';
import { prng } from '../support/prng';

/** The definition, edge by edge: every end and start in time order, an end before a start at the same time. */
function mostAtOnceByEdges(intervals: [number, number][]): number {
  const edges = intervals.flatMap(([from, to]): [number, number][] => [[from, 1], [to, -1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

describe('intervals open at once', () => {
  it('one ending as another starts is not an overlap; an instant counts for nothing', () => {
    expect(mostAtOnce([[0, 10], [5, 15], [10, 20]])).toBe(2);
    expect(mostAtOnce([[0, 5], [5, 10]])).toBe(1);
    expect(mostAtOnce([[3, 3]])).toBe(0);
    expect(mostAtOnce([])).toBe(0);
    expect(activeAt(5, [0, 5], [5, 10])).toBe(1);
  });

  it('agrees with the edge-by-edge definition on random intervals with many ties', () => {
    const random = prng(7);
    const int = (n: number): number => Math.floor(random() * n);
    for (let round = 0; round < 300; round++) {
      const intervals = Array.from({ length: 1 + int(60) }, (): [number, number] => {
        const from = int(40) / 4;
        return [from, from + int(20) / 4];
      });
      expect(mostAtOnce(intervals)).toBe(mostAtOnceByEdges(intervals));
    }
  });

  it('counts the times while some interval is open as activeAt does one time at a time', () => {
    const random = prng(11);
    const int = (n: number): number => Math.floor(random() * n);
    for (let round = 0; round < 300; round++) {
      const intervals = Array.from({ length: int(30) }, (): [number, number] => {
        const from = int(40) / 4;
        return [from, from + int(20) / 4];
      });
      const from = Float64Array.from(intervals, ([f]) => f).sort();
      const to = Float64Array.from(intervals, ([, t]) => t).sort();
      const times = Float64Array.from({ length: int(50) }, () => int(70) / 4).sort();
      const expected = times.filter((t) => activeAt(t, from, to) > 0).length;
      expect(timesWhileActive(times, from, to)).toBe(expected);
    }
  });
});
