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

/** The most intervals open at once within each of `columns` equal slices of [t0, t1]; nulls (and
 * intervals with a NaN end) are skipped. An interval is open from its start up to, not at, its end: one
 * ending as another starts is not two, and one of no length is never open. Starts and ends are sorted
 * apart, as numbers (a listener of (a) has 200,000 connections: sorting [time, ±1] pairs with a
 * comparator took a quarter of a second per series), and swept together. */
export function concurrencyColumns(intervals: readonly (Interval | null)[], t0: number, t1: number, columns: number): number[] {
  const span = Math.max(t1 - t0, 1e-9);
  const counted = (iv: Interval | null): iv is Interval => iv !== null && !Number.isNaN(iv[0]) && !Number.isNaN(iv[1]);
  let n = 0;
  for (const iv of intervals) if (counted(iv)) n++;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  n = 0;
  for (const iv of intervals) {
    if (!counted(iv)) continue;
    starts[n] = iv[0];
    ends[n++] = iv[1];
  }
  starts.sort();
  ends.sort();
  const most = new Array<number>(columns).fill(0);
  let open = 0;
  let at = 0;
  for (let i = 0, j = 0; i < n || j < n;) {
    const t = j === n || (i < n && starts[i] < ends[j]) ? starts[i] : ends[j];
    const position = ((t - t0) / span) * columns;
    const c = Math.min(columns - 1, Math.max(0, Math.floor(position)));
    // Columns passed since the last moment stay at the count then; so does this moment's own column
    // up to it, unless the column begins there.
    for (; at < c; at++) most[at] = Math.max(most[at], open);
    if (position > c) most[at] = Math.max(most[at], open);
    // Every edge at this moment, then the count: never one between them.
    for (; j < n && ends[j] === t; j++) open--;
    for (; i < n && starts[i] === t; i++) open++;
    most[at] = Math.max(most[at], open);
  }
  return most;
}
