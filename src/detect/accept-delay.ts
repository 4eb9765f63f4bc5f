import { fmtDuration, plural } from '../format';
import type { ConnectionCore, EventJson } from '../tcp/connection-view';
import { firstEvent, framesFilter, round3 } from './conn-facts';
import type { Moment } from './connection-facts';
import type { CaptureEnd, ConnectionDetector } from './detector';

/** What an accept wait is measured between: a view's events, or their moments (ConnectionFacts). */
export interface AcceptMoments<M extends Moment = EventJson> {
  handshake: M;
  /** The client's first data or FIN: from here on the server application had something to act on. */
  request: M;
  /** The server application's first action after it (data, FIN or RST), if any. */
  release: M | undefined;
}

export interface AcceptWait<M extends Moment = EventJson> extends AcceptMoments<M> {
  waitS: number;
  lowerBound: boolean;
}

const SERVER_ACTIONS = new Set(['first-data', 'fin', 'rst']);

/** How long the server application stayed silent after the client asked something of it. Null when
 * the handshake was not seen or the server had already spoken (then it had clearly accepted). */
export function measureAcceptWait(conn: ConnectionCore, capture: CaptureEnd): AcceptWait | null {
  const moments = acceptMoments(conn);
  return moments && acceptWaitOf(moments, capture);
}

/** The wait between the moments: until the capture's end when the application never acted. */
export function acceptWaitOf<M extends Moment>(moments: AcceptMoments<M>, capture: CaptureEnd): AcceptWait<M> {
  const { handshake, request, release } = moments;
  // A literal, not a spread: measured, spreading here made every analysis hold 180 MB more at its peak.
  return { handshake, request, release, waitS: Math.max(0, (release ? release.at : capture.captureEnd) - request.at), lowerBound: release === undefined };
}

export function acceptMoments(conn: ConnectionCore): AcceptMoments | null {
  if (conn.partial) return null;
  const handshake = firstEvent(conn, 'handshake-complete');
  if (!handshake) return null;
  const request = conn.events.find((e) => e.by === 'client' && (e.type === 'first-data' || e.type === 'fin'));
  if (!request) return null;
  const serverFirst = conn.events.find((e) => e.by === 'server' && SERVER_ACTIONS.has(e.type));
  if (serverFirst && serverFirst.frame < request.frame) return null;
  return { handshake, request, release: serverFirst };
}

export const acceptDelay: ConnectionDetector = {
  kind: 'accept-delay',
  scope: 'connection',
  needs: ['handshake-complete'],
  title: 'The server application did not act on a connection its kernel had accepted',
  explanation: `The handshake completed, so the server's kernel had the connection; the client then sent its request (or closed), the server's kernel acknowledged it, and the server application did nothing (no data, no FIN) for a long time.

What it usually means: the connection waited in the listener's accept queue. The kernel completes handshakes and acknowledges data on its own; only accept() hands the connection to the application. A server that limits how many connections it serves at once (Go's netutil.LimitListener, a worker pool, a thread-per-connection server with all threads busy) leaves the rest in the queue. A handler stuck before writing its first byte looks the same on the wire.

What to check: whether many connections of the same listener waited at the same time (listener-saturation); ss -ltn on the server (Recv-Q of the listening socket = connections waiting to be accepted); the server's connection limit and what holds its slots.`,
  headline({ listener, connections, durationRange }) {
    return `${plural(connections, 'connection')} to ${listener} waited ${durationRange} for the server application after the client's request or FIN`;
  },
  detect(conn, ctx) {
    const w = measureAcceptWait(conn, ctx);
    if (!w || w.waitS < ctx.thresholds.acceptDelayS) return [];
    const frames = [w.handshake.frame, w.request.frame, ...(w.release ? [w.release.frame] : [])];
    const what = w.request.type === 'fin' ? 'closed its side' : 'sent its request';
    const forHowLong = w.lowerBound ? `at least ${fmtDuration(w.waitS)} (until the capture ended)` : fmtDuration(w.waitS);
    return [{
      kind: 'accept-delay',
      severity: 'warning',
      connection: conn.id,
      listener: conn.server,
      at: w.request.at,
      duration_s: round3(w.waitS),
      ...(w.lowerBound ? { duration_is_lower_bound: true } : {}),
      measures: { request: w.request.type === 'fin' ? 'fin' : 'data', handshake_to_request_s: round3(w.request.at - w.handshake.at) },
      frames,
      filter: framesFilter(frames),
      summary: `server ${conn.server} did nothing for ${forHowLong} after client ${conn.client} ${what}`,
      explanation: `Frame ${w.handshake.frame}: handshake complete. Frame ${w.request.frame}: the client ${what}. `
        + (w.release ? `Frame ${w.release.frame}: the server application's first action, ${fmtDuration(w.waitS)} later. ` : 'The server application did nothing before the capture ended. ')
        + 'The connection most likely waited in the accept queue (or its handler was stuck before replying).',
    }];
  },
};
