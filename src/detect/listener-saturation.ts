import { bisectRight, max, median, min } from 'd3-array';
import { activeAt, mostAtOnce } from './intervals';
import { fmtDuration, fmtTime, plural } from '../format';
import { acceptWaitOf, type AcceptWait } from './accept-delay';
import { framesFilter, round3 } from './conn-facts';
import type { ConnectionFacts, Moment } from './connection-facts';
import type { ListenerDetector } from './detector';
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
  wait: AcceptWait<Moment>;
}

/** Releases per close while connections wait, at least, for a limit to be inferred. */
const HANDOVER_SHARE = 0.5;
/** A waiting connection counts as released by a close if the server acted within this time after it. */
const RELEASE_WINDOW_S = 1;

export function servedInterval(conn: ConnectionFacts, wait: AcceptWait<Moment> | null, captureEnd: number): Served | null {
  const from = wait ? wait.release?.at : (conn.handshakeAt ?? (conn.partial ? conn.start : undefined));
  if (from === undefined) return null;
  const end = conn.serviceEnds.find((at) => at >= from);
  // Its close is read from `conn` only for the few that held a slot: every connection of a busy listener
  // has one of these while the detector runs.
  return { conn, from, to: end ?? captureEnd };
}

/** A concurrency limit hands each freed slot to a waiting connection: while connections wait, closes
 * of served connections and releases of waiting ones come one for one. A busy server where a few
 * requests are merely slow closes many connections per release. Without any close while connections
 * waited, only a constant number of connections in service (a plateau) shows a limit. */
function slotsHandedOver(waits: Waiting[], served: Served[], busyAtWaitStart: number[], captureEnd: number): boolean {
  const starts = waits.map((w) => w.wait.request.at).sort((a, b) => a - b);
  const ends = waits.map((w) => w.wait.release?.at ?? captureEnd).sort((a, b) => a - b);
  const closes = served.filter((s) => s.to < captureEnd && activeAt(s.to, starts, ends) > 0).length;
  const releases = waits.filter((w) => w.wait.release).length;
  if (closes === 0) return min(busyAtWaitStart) === max(busyAtWaitStart);
  return releases >= HANDOVER_SHARE * closes;
}

interface Burst {
  /** The served connection whose close freed the slot, if one closed just before. */
  trigger: Served | undefined;
  released: Waiting[];
}

/** Groups releases into chains: a close frees a slot, the next waiting connection takes it, closes
 * in turn (a health check closes at once), frees it for the next one, and so on. */
function releaseBursts(waits: Waiting[], served: Served[]): Burst[] {
  const byEnd = [...served].sort((a, b) => a.to - b.to);
  const endTimes = byEnd.map((s) => s.to);
  const waiting = new Set(waits.map((w) => w.conn));
  const bursts: Burst[] = [];
  let current: Burst | undefined;
  const releasedSorted = waits.filter((w) => w.wait.release).sort((a, b) => (a.wait.release?.at ?? 0) - (b.wait.release?.at ?? 0));
  for (const w of releasedSorted) {
    const at = w.wait.release?.at ?? 0;
    let i = bisectRight(endTimes, at) - 1;
    while (i >= 0 && byEnd[i].conn === w.conn) i--;
    const releaser = i >= 0 && at - endTimes[i] <= RELEASE_WINDOW_S ? byEnd[i] : undefined;
    if (current && releaser && waiting.has(releaser.conn) && current.released.some((r) => r.conn === releaser.conn)) {
      current.released.push(w);
    } else {
      current = { trigger: releaser && !waiting.has(releaser.conn) ? releaser : undefined, released: [w] };
      bursts.push(current);
    }
  }
  return bursts;
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
  headline({ listener, findings }) {
    const limit = findings[0].limit ?? 0;
    return `listener ${listener} ${limitWords(limit)} (inferred limit ${limit})`;
  },
  detect(listener, conns, ctx) {
    const waits: Waiting[] = [];
    const served: Served[] = [];
    for (const conn of conns) {
      const moments = conn.acceptWait;
      const wait = moments && acceptWaitOf(moments, ctx);
      const long = wait !== null && wait.waitS >= ctx.thresholds.acceptDelayS;
      if (long) waits.push({ conn, wait });
      const s = servedInterval(conn, long ? wait : null, ctx.captureEnd);
      if (s) served.push(s);
    }
    if (waits.length < ctx.thresholds.saturationMinWaiting) return [];
    const froms = served.map((s) => s.from).sort((a, b) => a - b);
    const tos = served.map((s) => s.to).sort((a, b) => a - b);
    // While a connection had to wait, the server was busy with exactly `limit` others.
    const busyAtWaitStart = waits.map((w) => activeAt(w.wait.request.at, froms, tos));
    const limit = Math.round(median(busyAtWaitStart) ?? 0);
    if (!slotsHandedOver(waits, served, busyAtWaitStart, ctx.captureEnd)) return [];
    const waitingMax = mostAtOnce(waits.map((w) => [w.wait.request.at, w.wait.request.at + w.wait.waitS]));
    if (waitingMax < ctx.thresholds.saturationMinWaiting) return [];

    const bursts = releaseBursts(waits, served);
    const released = bursts.reduce((n, b) => n + (b.trigger ? b.released.length : 0), 0);
    const holders = served.filter((s) => waits.some((w) => s.from <= w.wait.request.at && w.wait.request.at < s.to));
    const heldBy = holders.map(heldSlot).sort((a, b) => b.held_s - a.held_s);
    const waitTimes = waits.map((w) => w.wait.waitS);
    const longest = max(waitTimes) ?? 0;
    const typical = median(waitTimes) ?? 0;
    const first = waits.reduce((a, b) => (b.wait.request.at < a.wait.request.at ? b : a));

    const biggest = bursts.filter((b) => b.trigger).sort((a, b) => b.released.length - a.released.length)[0];
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
    if (biggest?.trigger) {
      const slot = heldSlot(biggest.trigger);
      const firstAt = biggest.released[0].wait.release?.at ?? biggest.trigger.to;
      const lastAt = biggest.released[biggest.released.length - 1].wait.release?.at ?? firstAt;
      lines.push(`${biggest.released.length === waits.length ? `All ${waits.length}` : `${biggest.released.length} of them`} were released`
        + `${fmtTime(firstAt, false) === fmtTime(lastAt, false) ? ` at ${fmtTime(firstAt, false)}` : ` between ${fmtTime(firstAt, false)} and ${fmtTime(lastAt, false)}`},`
        + ` ${fmtDuration(firstAt - biggest.trigger.to)} after`
        + ` connection #${biggest.trigger.conn.id} (${biggest.trigger.conn.client}) closed`
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
