/** What each connection of a listener was doing over time: waiting in the accept queue, being served by
 * the application, half-closed; and how many were in each state at once. Pure, over the report. */
import { acceptWaitOf } from '../../detect/accept-delay';
import type { ConnectionFacts } from '../../detect/connection-facts';
import { closeWaitSeconds } from '../../detect/half-closed';
import { servedInterval } from '../../detect/listener-saturation';
import type { Report } from '../report-model';

export type Interval = [number, number];

export interface ConnActivity {
  conn: ConnectionFacts;
  life: Interval;
  /** Handshake done, the application not yet acting on the client's request (only past the accept-delay threshold, as the detector counts it). */
  waiting: Interval | null;
  /** From accept (or the handshake) to the server's FIN or a RST: the application held the connection. */
  served: Interval | null;
  /** CLOSE_WAIT of the silent side: from the ACK of the first FIN to the second FIN or RST. */
  halfClosed: Interval | null;
}

export interface Listener {
  endpoint: string;
  conns: ConnectionFacts[];
}

export function connActivity(conn: ConnectionFacts, acceptDelayS: number, captureEnd: number): ConnActivity {
  const capture = { captureEnd };
  // Each read once: the facts make these objects when they are read.
  const moments = conn.acceptWait;
  const halfClose = conn.halfClose;
  const wait = moments && acceptWaitOf(moments, capture);
  const waited = wait !== null && wait.waitS >= acceptDelayS ? wait : null;
  const served = servedInterval(conn, waited, captureEnd);
  const halfClosedS = halfClose && closeWaitSeconds(halfClose, capture);
  return {
    conn,
    life: [conn.start, conn.end],
    waiting: waited ? [waited.handshake.at, waited.release?.at ?? captureEnd] : null,
    served: served ? [served.from, served.to] : null,
    halfClosed: halfClose && halfClosedS !== null && halfClosedS > 0 ? [halfClose.ackAt, halfClose.ackAt + halfClosedS] : null,
  };
}

/** Listeners with incidents first (worst first), then the busiest. */
export function listenersByConcern(report: Report): Listener[] {
  const byEndpoint = new Map<string, ConnectionFacts[]>();
  for (const c of report.connections.facts) {
    const list = byEndpoint.get(c.server);
    if (list) list.push(c);
    else byEndpoint.set(c.server, [c]);
  }
  const rank = (endpoint: string): number => {
    const i = report.incidents.findIndex((inc) => inc.listener === endpoint);
    return i < 0 ? Infinity : i;
  };
  return [...byEndpoint].map(([endpoint, conns]) => ({ endpoint, conns }))
    .sort((a, b) => rank(a.endpoint) - rank(b.endpoint) || b.conns.length - a.conns.length);
}

/** The most intervals open at once within each of `columns` equal slices of [t0, t1]. */
export function concurrencyColumns(intervals: Interval[], t0: number, t1: number, columns: number): number[] {
  const span = Math.max(t1 - t0, 1e-9);
  const column = (t: number): number => Math.min(columns - 1, Math.max(0, Math.floor(((t - t0) / span) * columns)));
  const edges = intervals.flatMap(([a, b]): [number, number][] => [[a, 1], [b, -1]]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const most = new Array<number>(columns).fill(0);
  let open = 0;
  let at = 0;
  for (const [t, delta] of edges) {
    // Columns passed since the last edge stay at the current count.
    for (const c = column(t); at < c; at++) most[at] = Math.max(most[at], open);
    open += delta;
    most[at] = Math.max(most[at], open);
  }
  return most;
}
