import { fmtDuration, plural } from '../format';
import type { ConnectionCore, EventJson, Role } from '../tcp/connection-view';
import { finAckOf, finsInOrder, firstEvent, framesFilter, lastDataAt, majority, otherRole, round3 } from './conn-facts';
import type { CaptureEnd, ConnectionDetector, DetectContext } from './detector';
import type { Finding } from './finding';

export interface HalfClose {
  /** The side that closed first, and the silent (CLOSE_WAIT) side. */
  closer: Role;
  silent: Role;
  fin: EventJson;
  ack: EventJson;
  /** What ended the half-close: the silent side's FIN, a RST, or nothing before the capture ended. */
  end: EventJson | undefined;
  durationS: number;
  lowerBound: boolean;
  /** The silent side kept sending payload after the peer's FIN (a legitimate half-close). */
  dataAfterFin: boolean;
  /** The silent side sent no payload at all on this connection. */
  neverSentData: boolean;
}

/** When the half-close began (the ACK of the first FIN) and ended (null: not before the capture did). */
export interface HalfCloseMoments {
  ackAt: number;
  endAt: number | null;
}

/** How long the peer of the first closer sat in CLOSE_WAIT, from the ACK of the first FIN. */
export function measureHalfClose(conn: ConnectionCore, capture: CaptureEnd): HalfClose | null {
  const h = halfCloseEvents(conn);
  if (!h) return null;
  const { closer, silent, fin, ack, end } = h;
  const lastData = lastDataAt(conn, silent);
  return {
    closer, silent, fin, ack, end,
    durationS: closeWaitSeconds({ ackAt: ack.at, endAt: end ? end.at : null }, capture),
    lowerBound: end === undefined,
    dataAfterFin: lastData !== undefined && lastData.frame > fin.frame,
    neverSentData: firstEvent(conn, 'first-data', silent) === undefined,
  };
}

export function halfCloseMoments(conn: ConnectionCore): HalfCloseMoments | null {
  const h = halfCloseEvents(conn);
  return h && { ackAt: h.ack.at, endAt: h.end ? h.end.at : null };
}

/** CLOSE_WAIT's length: to the capture's end when nothing ended it. */
export function closeWaitSeconds(h: HalfCloseMoments, capture: CaptureEnd): number {
  return Math.max(0, (h.endAt ?? capture.captureEnd) - h.ackAt);
}

function halfCloseEvents(conn: ConnectionCore): Pick<HalfClose, 'closer' | 'silent' | 'fin' | 'ack' | 'end'> | null {
  const { first, second } = finsInOrder(conn);
  if (!first) return null;
  const closer = first.by;
  const ack = finAckOf(conn, closer);
  if (!ack) return null;
  const rst = conn.events.find((e) => e.type === 'rst' && e.frame > ack.frame);
  const end = second && (!rst || second.frame < rst.frame) ? second : rst;
  return { closer, silent: otherRole(closer), fin: first, ack, end };
}

export const halfClosed: ConnectionDetector = {
  kind: 'half-closed',
  scope: 'connection',
  needs: ['fin', 'fin-ack'],
  title: 'One side closed, the other stayed in CLOSE_WAIT',
  explanation: `One side sent FIN and the other side's TCP stack acknowledged it, but the other side's application sent no FIN for a long time (or never, before the capture ended). That side was in CLOSE_WAIT: its kernel knew the peer had closed, its application had not closed the socket.

What it usually means: the application never noticed end-of-file. Either it never read from the socket, or it never accepted the connection at all: a connection waiting in a listener's accept queue is ACKed by the kernel, FIN included, and sits in CLOSE_WAIT with no owning process until the application calls accept(). A socket leak (a code path that forgets close()) looks the same.

Told apart: if the silent side kept sending data after the FIN, it is a legitimate half-close (for example a request/response protocol where the client shuts down its sending side first); that is reported as info only.

What to check: ss -tanp state close-wait on the silent host (no pid = not yet accepted); the server's accept loop and connection limit; file descriptor counts over time.`,
  headline({ listener, measures, lowerBounds: open, connections, durationRange }) {
    const silent = majority(measures('silent_side'));
    const who = silent === 'server' ? `${listener} (the server) sat` : `clients of ${listener} sat`;
    return `${plural(connections, 'connection')} half-closed: ${who} in CLOSE_WAIT for ${durationRange}${open ? ` (${open} still when the capture ended)` : ''}`;
  },
  detect(conn, ctx) {
    const h = measureHalfClose(conn, ctx);
    if (!h || h.durationS < ctx.thresholds.halfCloseS) return [];
    return [halfClosedFinding(conn, h, ctx)];
  },
};

function halfClosedFinding(conn: ConnectionCore, h: HalfClose, ctx: DetectContext): Finding {
  const silentEndpoint = conn[h.silent];
  const frames = [h.fin.frame, h.ack.frame, ...(h.end ? [h.end.frame] : [])];
  const forHowLong = h.lowerBound ? `at least ${fmtDuration(h.durationS)} (still half-closed when the capture ended)` : fmtDuration(h.durationS);
  const endWords = !h.end ? '' : h.end.type === 'fin' ? ', then sent its FIN' : `, then ${h.end.by === h.silent ? 'it' : `the ${h.closer}`} reset the connection`;
  const silence = h.dataAfterFin ? `kept sending data (a legitimate half-close)`
    : h.neverSentData ? 'never sent any data (most likely not yet accepted by its application)'
      : 'sent nothing more (its application did not notice the close)';
  return {
    kind: 'half-closed',
    severity: h.dataAfterFin ? 'info' : 'warning',
    connection: conn.id,
    listener: conn.server,
    at: h.ack.at,
    duration_s: round3(h.durationS),
    ...(h.lowerBound ? { duration_is_lower_bound: true } : {}),
    measures: { silent_side: h.silent, data_after_fin: h.dataAfterFin, never_sent_data: h.neverSentData },
    frames,
    filter: framesFilter(frames),
    summary: `${h.silent} ${silentEndpoint} sat in CLOSE_WAIT for ${forHowLong} after the ${h.closer}'s FIN and ${silence}${endWords}`,
    explanation: `Frame ${h.fin.frame}: the ${h.closer} ${conn[h.closer]} sent FIN; frame ${h.ack.frame}: the ${h.silent}'s kernel acknowledged it, so from then on the ${h.silent} was in CLOSE_WAIT. `
      + (h.end ? `Frame ${h.end.frame} (${fmtDuration(h.end.at - h.ack.at)} later) ended it with ${h.end.type === 'fin' ? 'a FIN' : 'a RST'}. ` : `Nothing ended it before the capture did (${fmtDuration(ctx.captureEnd - h.ack.at)} later). `)
      + (h.dataAfterFin ? 'The silent side kept sending data meanwhile: a legitimate half-close.'
        : `The ${h.silent} ${silence}. Check whether its application accepts and reads this connection (ss -tanp state close-wait: no pid means not yet accepted).`),
  };
}
