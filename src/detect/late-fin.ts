import { fmtDuration, plural } from '../format';
import type { ConnectionCore, EventJson, Role } from '../tcp/connection-view';
import { finsInOrder, framesFilter, lastDataAt, majority, round3 } from './conn-facts';
import type { ConnectionDetector } from './detector';

interface LateFin {
  first: EventJson;
  second: EventJson;
  /** Second FIN − first FIN. */
  gapS: number;
  /** How long the second closer had been silent (no payload) when it sent its FIN. */
  idleBeforeFinS: number;
}

/** The second FIN, when it came at least `thresholdS` after the first from a side that had gone quiet. */
function findLateFin(conn: ConnectionCore, thresholdS: number): LateFin | null {
  const { first, second } = finsInOrder(conn);
  if (!first || !second) return null;
  const lastData = lastDataAt(conn, second.by);
  const quietSince = lastData && lastData.frame > first.frame && lastData.at < second.at ? lastData.at : first.at;
  const gapS = second.at - first.at;
  const idleBeforeFinS = second.at - quietSince;
  if (gapS < thresholdS || idleBeforeFinS < thresholdS) return null;
  return { first, second, gapS, idleBeforeFinS };
}

export const lateFin: ConnectionDetector = {
  kind: 'late-fin',
  scope: 'connection',
  needs: ['fin'],
  title: 'The second FIN came long after the first',
  explanation: `One side closed (FIN) and the other side's FIN followed only much later, although it had nothing more to send.

What it usually means: the second side's application only closed its socket when something else happened: it finally accepted the connection from the accept queue (its connection slots were all taken), a handler blocked for that long, or an idle timer fired. The delay is often a well-known timeout of whatever held things up (Go's http.Transport closes idle keep-alive connections after 90 s, nginx after 75 s).

What to check: what the second closer was waiting for during the gap; if many connections of one listener show the same delay, see listener-saturation.`,
  headline({ listener, count, measures, durationRange }) {
    const late = majority(measures('late_side'));
    const who = late === 'server' ? `${listener} (the server)` : `clients of ${listener}`;
    return `${plural(count, 'late FIN')}: ${who} closed ${durationRange} after the other side`;
  },
  detect(conn, ctx) {
    const late = findLateFin(conn, ctx.thresholds.lateFinS);
    if (!late) return [];
    const frames = [late.first.frame, late.second.frame];
    const second: Role = late.second.by;
    return [{
      kind: 'late-fin',
      severity: 'warning',
      connection: conn.id,
      listener: conn.server,
      at: late.second.at,
      duration_s: round3(late.gapS),
      measures: { late_side: second, idle_before_fin_s: round3(late.idleBeforeFinS) },
      frames,
      filter: framesFilter(frames),
      summary: `${second} ${conn[second]} sent its FIN ${fmtDuration(late.gapS)} after the ${late.first.by}'s FIN`,
      explanation: `Frame ${late.first.frame}: the ${late.first.by} closed. Frame ${late.second.frame}: the ${second} closed ${fmtDuration(late.gapS)} later, `
        + `after ${fmtDuration(late.idleBeforeFinS)} without sending anything. Its application held the socket open without using it.`,
    }];
  },
};
