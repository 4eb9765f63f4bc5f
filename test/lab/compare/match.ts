import type { ConnectionJson, ReportJson } from '../../../src/report/report-model';
import type { Truth, TruthConnection } from '../truth-model';
import { marginS } from './tolerance';

export interface Pair {
  truth: TruthConnection;
  report: ConnectionJson | undefined;
}

/** The client endpoint names a lab connection: the server side is one port per scenario. */
export function keyOf(conn: { client: string }): string {
  return conn.client;
}

function firstSeen(tc: TruthConnection): number {
  return Math.min(...[...tc.states.client, ...tc.states.server].map((i) => i.from));
}

/** Each kernel connection with the report's connection on the same 4-tuple that started last before
 * the kernel first showed it (4-tuples are reused: TIME_WAIT, port reuse). */
export function matchConnections(truth: Truth, report: ReportJson): Pair[] {
  const margin = marginS(truth);
  return truth.connections.map((tc) => {
    const seen = firstSeen(tc);
    let best: ConnectionJson | undefined;
    for (const c of report.connections) {
      if (c.client !== tc.client || c.server !== tc.server || c.start > seen + margin) continue;
      if (!best || c.start > best.start) best = c;
    }
    return { truth: tc, report: best };
  });
}
