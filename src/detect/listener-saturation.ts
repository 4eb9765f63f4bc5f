import { bisectLeft, bisectRight, max, median, min } from 'd3-array';
import { activeAt, mostAtOnce, timesWhileActive } from './intervals';
import { fmtDuration, fmtTime, plural } from '../format';
import { acceptWaitOf, type AcceptWait } from './accept-delay';
import { framesFilter, round3 } from './conn-facts';
import type { ConnectionFacts, Moment } from './connection-facts';
import type { ListenerConnections, ListenerDetector } from './detector';
import type { Finding, HeldSlot } from './finding';
import { matchKnownTimeout } from './timeouts';

/** When the server application held a connection: from accept (or its first action) to its close. */
export interface Served {
  conn: ConnectionFacts;
  from: number;
  to: number;
}

interface Waiting {
  conn: ConnectionFacts;
  /** Its place in the listener's connections. */
  index: number;
  wait: AcceptWait<Moment>;
}

/** The served intervals of a listener's connections, in their order, as columns: a busy listener has
 * millions of connections, and an object per interval was most of what building its report held. */
interface ServedColumns {
  from: Float64Array;
  to: Float64Array;
  /** Index of the connection in the listener's connections. */
  conn: Int32Array;
}

/** Releases per close while connections wait, at least, for a limit to be inferred. */
const HANDOVER_SHARE = 0.5;
/** A waiting connection counts as released by a close if the server acted within this time after it. */
const RELEASE_WINDOW_S = 1;

/** When the application took the connection: when its wait ended, else at the handshake (or the start of
 * a connection the capture joined midway); undefined when it never did. */
function servedFrom(conn: ConnectionFacts, wait: AcceptWait<Moment> | null): number | undefined {
  return wait ? wait.release?.at : (conn.handshakeAt ?? (conn.partial ? conn.start : undefined));
}

/** The first end of service from `from` on, or the capture's end. */
function servedUntil(conn: ConnectionFacts, from: number, captureEnd: number): number {
  return conn.serviceEnds.find((at) => at >= from) ?? captureEnd;
}

export function servedInterval(conn: ConnectionFacts, wait: AcceptWait<Moment> | null, captureEnd: number): Served | null {
  const from = servedFrom(conn, wait);
  return from === undefined ? null : { conn, from, to: servedUntil(conn, from, captureEnd) };
}

/** Served interval k, as an object: only for the few a finding names. */
function servedAt(served: ServedColumns, k: number, conns: ListenerConnections): Served {
  return { conn: conns.at(served.conn[k]), from: served.from[k], to: served.to[k] };
}

/** A concurrency limit hands each freed slot to a waiting connection: while connections wait, closes
 * of served connections and releases of waiting ones come one for one. A busy server where a few
 * requests are merely slow closes many connections per release. Without any close while connections
 * waited, only a constant number of connections in service (a plateau) shows a limit. */
function slotsHandedOver(waits: Waiting[], sortedTos: Float64Array, busyAtWaitStart: number[], captureEnd: number): boolean {
  const starts = Float64Array.from(waits, (w) => w.wait.request.at).sort();
  const ends = Float64Array.from(waits, (w) => w.wait.release?.at ?? captureEnd).sort();
  // Served until the capture's end is no close: no wait is open from then on.
  const closes = timesWhileActive(sortedTos, starts, ends);
  const releases = waits.filter((w) => w.wait.release).length;
  if (closes === 0) return min(busyAtWaitStart) === max(busyAtWaitStart);
  return releases >= HANDOVER_SHARE * closes;
}

interface Burst {
  /** The served interval (its index k) whose close freed the slot, if one closed just before. */
  trigger: number | undefined;
  released: Waiting[];
}

/** The served intervals that can have freed a slot for a release: those ending at most RELEASE_WINDOW_S
 * before one, in order of their ends (ties in served order). The rest of a busy listener's millions
 * cannot be a releaser, so they are not sorted. */
function releaserCandidates(served: ServedColumns, releaseTimes: Float64Array): Int32Array {
  const picked: number[] = [];
  served.to.forEach((to, k) => {
    const next = bisectLeft(releaseTimes, to);
    if (next < releaseTimes.length && releaseTimes[next] - to <= RELEASE_WINDOW_S) picked.push(k);
  });
  return Int32Array.from(picked).sort((a, b) => served.to[a] - served.to[b] || a - b);
}

/** Groups releases into chains: a close frees a slot, the next waiting connection takes it, closes
 * in turn (a health check closes at once), frees it for the next one, and so on. A release's releaser is
 * the latest other served connection to close before it, if within RELEASE_WINDOW_S. */
function releaseBursts(waits: Waiting[], served: ServedColumns): Burst[] {
  const releasedSorted = waits.filter((w) => w.wait.release).sort((a, b) => (a.wait.release?.at ?? 0) - (b.wait.release?.at ?? 0));
  const byEnd = releaserCandidates(served, Float64Array.from(releasedSorted, (w) => w.wait.release?.at ?? 0));
  const endTimes = Float64Array.from(byEnd, (k) => served.to[k]);
  const waiting = new Set(waits.map((w) => w.index));
  const bursts: Burst[] = [];
  let current: Burst | undefined;
  for (const w of releasedSorted) {
    const at = w.wait.release?.at ?? 0;
    let i = bisectRight(endTimes, at) - 1;
    while (i >= 0 && served.conn[byEnd[i]] === w.index) i--;
    const releaser = i >= 0 && at - endTimes[i] <= RELEASE_WINDOW_S ? byEnd[i] : undefined;
    const releaserConn = releaser === undefined ? -1 : served.conn[releaser];
    if (current && releaser !== undefined && waiting.has(releaserConn) && current.released.some((r) => r.index === releaserConn)) {
      current.released.push(w);
    } else {
      current = { trigger: releaser !== undefined && !waiting.has(releaserConn) ? releaser : undefined, released: [w] };
      bursts.push(current);
    }
  }
  return bursts;
}

/** The served intervals open when some connection started to wait: those that held the slots. */
function slotHolders(served: ServedColumns, waits: Waiting[], conns: ListenerConnections): Served[] {
  const requests = Float64Array.from(waits, (w) => w.wait.request.at).sort();
  const holders: Served[] = [];
  served.from.forEach((from, k) => {
    const first = bisectLeft(requests, from);
    if (first < requests.length && requests[first] < served.to[k]) holders.push(servedAt(served, k, conns));
  });
  return holders;
}

function heldSlot(s: Served): HeldSlot {
  const close = s.conn.close;
  const idle = close?.idleS ?? null;
  return {
    connection: s.conn.id,
    client: s.conn.client,
    held_s: round3(s.to - s.from),
    idle_before_close_s: idle === null ? null : round3(idle),
    closed_by: close ? close.by : null,
    matches: idle === null ? null : (matchKnownTimeout(idle)?.what ?? null),
  };
}

function limitWords(limit: number): string {
  if (limit === 0) return 'accepted nothing while connections waited';
  return limit === 1 ? 'served one connection at a time' : `served at most ${limit} connections at a time`;
}

export const listenerSaturation: ListenerDetector = {
  kind: 'listener-saturation',
  scope: 'listener',
  title: 'A listener served only N connections at once; the rest waited in its accept queue',
  explanation: `Many connections of one listening endpoint waited at the same time for the server application (accept-delay), while a small, constant number of other connections were being served. Waiting connections were released only when one of the served connections closed. That is the signature of a concurrency limit in front of the application: Go's netutil.LimitListener(l, N), a worker or thread pool, a max-connections setting.

The limit is inferred from the wire: it is how many connections the server was serving whenever a new one had to wait. The connections that held the slots are named, with how long they held them and why they closed: if they were idle keep-alive connections closed by a client's idle timeout (Go's http.Transport: 90 s), the limit was spent on connections doing nothing.

Consequences seen on the wire: waiting connections sit in CLOSE_WAIT when their clients give up (half-closed), their FINs go out late (late-fin), clients whose FIN_WAIT_2 expired answer those FINs with RST (rst-after-late-fin), and when the accept queue is full, new SYNs are dropped (syn-unanswered).

What to check: the server's connection limit against the number of keep-alive connections its clients (proxies, connection pools) keep open, and their idle timeouts; ss -ltn (Recv-Q of the listener) on the server.`,
  headline({ listener, finding }) {
    const limit = finding(0).limit ?? 0;
    return `listener ${listener} ${limitWords(limit)} (inferred limit ${limit})`;
  },
  detect(listener, conns, ctx) {
    const waits: Waiting[] = [];
    const served: ServedColumns = { from: new Float64Array(conns.length), to: new Float64Array(conns.length), conn: new Int32Array(conns.length) };
    let count = 0;
    for (let index = 0; index < conns.length; index++) {
      const conn = conns.at(index);
      const moments = conn.acceptWait;
      const wait = moments && acceptWaitOf(moments, ctx);
      const long = wait !== null && wait.waitS >= ctx.thresholds.acceptDelayS;
      if (long) waits.push({ conn, index, wait });
      const from = servedFrom(conn, long ? wait : null);
      if (from === undefined) continue;
      served.from[count] = from;
      served.to[count] = servedUntil(conn, from, ctx.captureEnd);
      served.conn[count++] = index;
    }
    if (waits.length < ctx.thresholds.saturationMinWaiting) return [];
    served.from = served.from.subarray(0, count);
    served.to = served.to.subarray(0, count);
    served.conn = served.conn.subarray(0, count);
    const froms = served.from.slice().sort();
    const tos = served.to.slice().sort();
    // While a connection had to wait, the server was busy with exactly `limit` others.
    const busyAtWaitStart = waits.map((w) => activeAt(w.wait.request.at, froms, tos));
    const limit = Math.round(median(busyAtWaitStart) ?? 0);
    if (!slotsHandedOver(waits, tos, busyAtWaitStart, ctx.captureEnd)) return [];
    const waitingMax = mostAtOnce(waits.map((w) => [w.wait.request.at, w.wait.request.at + w.wait.waitS]));
    if (waitingMax < ctx.thresholds.saturationMinWaiting) return [];

    const bursts = releaseBursts(waits, served);
    const released = bursts.reduce((n, b) => n + (b.trigger !== undefined ? b.released.length : 0), 0);
    const holders = slotHolders(served, waits, conns);
    const heldBy = holders.map(heldSlot).sort((a, b) => b.held_s - a.held_s);
    const waitTimes = waits.map((w) => w.wait.waitS);
    const longest = max(waitTimes) ?? 0;
    const typical = median(waitTimes) ?? 0;
    const first = waits.reduce((a, b) => (b.wait.request.at < a.wait.request.at ? b : a));

    const biggest = bursts.filter((b) => b.trigger !== undefined).sort((a, b) => b.released.length - a.released.length)[0];
    const trigger = biggest?.trigger === undefined ? undefined : servedAt(served, biggest.trigger, conns);
    const frames = [
      ...holders.slice(0, 5).flatMap((s) => {
        const close = s.conn.close;
        return close ? [close.frame] : [];
      }),
      ...waits.slice(0, 10).flatMap((w) => [w.wait.request.frame, ...(w.wait.release ? [w.wait.release.frame] : [])]),
    ];
    const lines = [
      `${plural(waits.length, 'connection')} waited up to ${fmtDuration(longest)} for the server application (median ${fmtDuration(typical)}); at most ${waitingMax} at once.`,
    ];
    if (trigger) {
      const slot = heldSlot(trigger);
      const firstAt = biggest.released[0].wait.release?.at ?? trigger.to;
      const lastAt = biggest.released[biggest.released.length - 1].wait.release?.at ?? firstAt;
      lines.push(`${biggest.released.length === waits.length ? `All ${waits.length}` : `${biggest.released.length} of them`} were released`
        + `${fmtTime(firstAt, false) === fmtTime(lastAt, false) ? ` at ${fmtTime(firstAt, false)}` : ` between ${fmtTime(firstAt, false)} and ${fmtTime(lastAt, false)}`},`
        + ` ${fmtDuration(firstAt - trigger.to)} after`
        + ` connection #${trigger.conn.id} (${trigger.conn.client}) closed`
        + `${slot.idle_before_close_s !== null ? ` after ${fmtDuration(slot.idle_before_close_s)} idle` : ''}${slot.matches ? `: this matches ${slot.matches}` : ''}.`);
    }
    const idleHolders = heldBy.filter((h) => h.idle_before_close_s !== null && h.idle_before_close_s >= 0.5 * h.held_s);
    if (limit === 0) lines.push('Likely cause: the application stopped calling accept() (blocked, busy or overloaded) while its kernel kept completing handshakes.');
    else lines.push(idleHolders.length > 0
      ? 'Likely cause: a connection limit on the listener (for example netutil.LimitListener or a worker pool) with its slots held by idle keep-alive connections.'
      : 'Likely cause: a connection limit on the listener (for example netutil.LimitListener or a worker pool) with all its slots busy.');
    lines.push('Check: the server\'s connection limit against the clients\' keep-alive pools and idle timeouts; ss -ltn on the server (Recv-Q = accept queue).');

    const finding: Finding = {
      kind: 'listener-saturation',
      severity: 'critical',
      connections: waits.map((w) => w.conn.id),
      listener,
      at: first.wait.request.at,
      duration_s: round3(longest),
      limit,
      held_by: heldBy,
      waiting_max: waitingMax,
      measures: { waiting: waits.length, wait_median_s: round3(typical), released_after_close: released, release_bursts: bursts.length },
      frames,
      filter: framesFilter(frames),
      summary: `listener ${listener} ${limitWords(limit)} (inferred limit ${limit}): ${plural(waits.length, 'connection')} waited up to ${fmtDuration(longest)} in its accept queue`,
      explanation: lines.join('\n'),
    };
    return [finding];
  },
};
