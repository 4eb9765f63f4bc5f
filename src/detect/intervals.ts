import { bisectRight } from 'd3-array';

/** How many half-open intervals [from, to) contain t, given both ends sorted. */
export function activeAt(t: number, sortedFrom: number[], sortedTo: number[]): number {
  return bisectRight(sortedFrom, t) - bisectRight(sortedTo, t);
}

/** Most half-open intervals [from, to) open at once (one ending as another starts is not an overlap). */
export function mostAtOnce(intervals: Iterable<readonly [number, number]>): number {
  const edges: [number, number][] = [];
  for (const [from, to] of intervals) edges.push([from, 1], [to, -1]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}
