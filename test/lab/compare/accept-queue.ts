import type { ConnectionJson, ReportJson } from '../../../src/report/report-model';
import type { Truth } from '../truth-model';
import { LONG_WAIT_S } from './tolerance';

export interface QueueComparison {
  listener: string;
  /** Most connections the kernel showed waiting in the accept queue at once. */
  truthPeak: number;
  /** Most connections at once whose server side did nothing for LONG_WAIT_S or more after the
   * handshake: no data, FIN or RST (a kernel ACK is not the application doing something). */
  analyzerWaiting: number;
}

const SERVER_ACTIONS = new Set(['first-data', 'fin', 'rst']);

function waitOf(conn: ConnectionJson, captureEnd: number): [number, number] | null {
  const handshake = conn.events.find((e) => e.type === 'handshake-complete');
  if (!handshake) return null;
  const acted = conn.events.find((e) => e.by === 'server' && SERVER_ACTIONS.has(e.type) && e.at >= handshake.at);
  const end = acted?.at ?? captureEnd;
  return end - handshake.at >= LONG_WAIT_S ? [handshake.at, end] : null;
}

function peakOverlap(intervals: [number, number][]): number {
  const edges = intervals.flatMap(([a, b]): [number, number][] => [[a, 1], [b, -1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, now += d);
  return peak;
}

export function compareAcceptQueues(truth: Truth, report: ReportJson): QueueComparison[] {
  return truth.listeners.map((l) => {
    const port = l.address.slice(l.address.lastIndexOf(':'));
    const conns = report.connections.filter((c) => c.server.endsWith(port));
    const waits = conns.map((c) => waitOf(c, report.input.last_ts ?? 0)).filter((w): w is [number, number] => w !== null);
    return { listener: l.address, truthPeak: l.peak, analyzerWaiting: peakOverlap(waits) };
  });
}
