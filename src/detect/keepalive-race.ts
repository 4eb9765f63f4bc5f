import { fmtDuration, plural } from '../format';
import type { ConnectionCore, EventJson } from '../tcp/connection-view';
import { finsInOrder, framesFilter, lastDataAt, majority, otherRole, round3 } from './conn-facts';
import { seqAdd, seqLe } from '../flow/seq';
import type { ConnectionDetector } from './detector';
import { matchKnownTimeout } from './timeouts';

export interface KeepaliveRace {
  fin: EventJson;
  request: EventJson;
  rst: EventJson;
}

/** A side closes an idle connection, the peer sends a request after that FIN, the closer resets. */
export function findKeepaliveRace(conn: ConnectionCore, replyS: number): KeepaliveRace | null {
  const { first: fin } = finsInOrder(conn);
  if (!fin) return null;
  const request = lastDataAt(conn, otherRole(fin.by));
  if (!request || request.frame < fin.frame) return null;
  const rst = conn.events.find((e) => e.type === 'rst' && e.by === fin.by && e.frame > request.frame);
  if (!rst || rst.at - request.at > replyS) return null;
  return { fin, request, rst };
}

export const keepaliveRace: ConnectionDetector = {
  kind: 'keepalive-race',
  scope: 'connection',
  needs: ['fin', 'rst'],
  title: 'A request was sent on a connection the other side was closing, and got RST',
  explanation: `One side closed an idle keep-alive connection (FIN), and the other side sent a new request on it at about the same time, or after the FIN arrived but before it noticed it. The closer no longer reads that connection, so its TCP answers the request with RST: the client sees "connection reset by peer" (an HTTP proxy turns that into a 502).

What it usually means: the server's keep-alive idle timeout is shorter than (or equal to) the client's. The client believes a pooled connection is still usable just as the server gives up on it. Node.js (5 s keepAliveTimeout) behind a load balancer with a 60 s idle timeout is the classic case.

What to check: make the client's idle timeout shorter than the server's (client pool idle timeout < server keep-alive timeout), or have the client retry idempotent requests on a reset of a reused connection.`,
  headline({ listener, count, measures }) {
    const closer = majority(measures('closed_by'));
    return `${plural(count, 'request')} on keep-alive connections of ${listener} crossed the ${closer}'s idle close and got RST`;
  },
  detect(conn, ctx) {
    const race = findKeepaliveRace(conn, ctx.thresholds.rstReplyS);
    if (!race) return [];
    const idle = race.fin.idle_s ?? null;
    const match = idle === null ? null : matchKnownTimeout(idle);
    const frames = [race.fin.frame, race.request.frame, race.rst.frame];
    const closer = race.fin.by;
    const requester = race.request.by;
    const after = race.request.at - race.fin.at;
    // The request acknowledges the FIN only if the requester had received it before sending.
    const crossed = !seqLe(seqAdd(race.fin.seq, race.fin.len + 1), race.request.ack);
    return [{
      kind: 'keepalive-race',
      severity: 'warning',
      connection: conn.id,
      listener: conn.server,
      at: race.rst.at,
      ...(idle !== null ? { duration_s: round3(idle) } : {}),
      measures: { closed_by: closer, request_after_fin_s: round3(after), crossed_fin: crossed, idle_before_fin_s: idle, matches: match?.what ?? null },
      frames,
      filter: framesFilter(frames),
      summary: crossed
        ? `${requester} ${conn[requester]} sent a request that crossed the FIN of ${closer} ${conn[closer]} closing the idle connection, and got RST`
        : `${requester} ${conn[requester]} sent a request ${fmtDuration(after)} after ${closer} ${conn[closer]} closed the idle connection, and got RST`,
      explanation: `Frame ${race.fin.frame}: the ${closer} closed the connection${idle !== null ? ` after ${fmtDuration(idle)} idle${match ? ` (this matches ${match.what})` : ''}` : ''}. `
        + `Frame ${race.request.frame}: the ${requester} still sent data on it${crossed ? ' (it had not received the FIN yet: the two crossed)' : ''}; frame ${race.rst.frame}: the ${closer} answered with RST. `
        + `The ${requester}'s idle timeout must be shorter than the ${closer}'s.`,
    }];
  },
};
