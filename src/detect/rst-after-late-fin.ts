import { min } from 'd3-array';
import { fmtDuration, plural } from '../format';
import type { ConnectionCore, EventJson } from '../tcp/connection-view';
import { finAckOf, finsInOrder, framesFilter, majority, round3 } from './conn-facts';
import type { ConnectionDetector } from './detector';
import { LINUX_FIN_TIMEOUT_S } from './timeouts';

export interface RstAfterLateFin {
  first: EventJson;
  second: EventJson;
  /** Second FIN − first FIN. */
  gapS: number;
  rst: EventJson;
  /** The first closer's FIN was acknowledged: it was in FIN_WAIT_2 until it forgot the connection. */
  finWait2From: EventJson | undefined;
}

/** A host answers a FIN with RST once it has forgotten the connection. Within this time of its own
 * close that is an abort (SO_LINGER 0, the process exiting), not an expired FIN_WAIT_2. */
const MIN_FORGET_S = 1;

/** The first closer answering the peer's FIN with a RST, promptly and with nothing in between. */
export function findRstAfterLateFin(conn: ConnectionCore, replyS: number): RstAfterLateFin | null {
  const { first, second } = finsInOrder(conn);
  if (!first || !second || second.at - first.at < MIN_FORGET_S) return null;
  const closer = first.by;
  const i = conn.events.indexOf(second);
  const rst = conn.events.slice(i + 1).find((e) => e.by === closer);
  if (!rst || rst.type !== 'rst' || rst.at - second.at > replyS) return null;
  return { first, second, gapS: second.at - first.at, rst, finWait2From: finAckOf(conn, closer) };
}

export const rstAfterLateFin: ConnectionDetector = {
  kind: 'rst-after-late-fin',
  scope: 'connection',
  needs: ['fin', 'rst'],
  title: 'A late FIN was answered with RST: the first closer had forgotten the connection',
  explanation: `The side that closed first answered the other side's late FIN with a RST instead of an ACK. A host only does that when it no longer has the connection: after its own FIN was acknowledged it sat in FIN_WAIT_2, and that state expired before the late FIN arrived.

On Linux an orphaned FIN_WAIT_2 socket (the application already closed it) is reaped after net.ipv4.tcp_fin_timeout, 60 s by default; a process that exits or closes with SO_LINGER 0 forgets the connection at once. The peer, still holding its half of the connection, gets "connection reset by peer" when it finally closes; the RST itself is harmless, but it proves how late the FIN was.

What to check: why the second closer's FIN was so late (see half-closed, late-fin, listener-saturation); tcp_fin_timeout on the first closer's host if the delay is shorter than 60 s.`,
  headline({ listener, count, measures }) {
    const waits = measures('fin_wait_2_s').map((wait) => Number(wait ?? 0));
    const rstBy = majority(measures('rst_by'));
    const sender = rstBy === 'client' ? `${listener}` : `clients of ${listener}`;
    const who = rstBy === 'client' ? 'its clients, whose' : `${listener}, whose`;
    // The shortest wait that met a RST bounds the FIN_WAIT_2 lifetime from above.
    return `${plural(count, 'late FIN')} from ${sender} answered with RST by ${who} FIN_WAIT_2 had expired`
      + ` after at most ${fmtDuration(min(waits) ?? 0)} (Linux's default tcp_fin_timeout: ${LINUX_FIN_TIMEOUT_S} s)`;
  },
  detect(conn, ctx) {
    const t = ctx.thresholds;
    const found = findRstAfterLateFin(conn, t.rstReplyS);
    if (!found) return [];
    const closer = found.first.by;
    const waitedS = found.second.at - (found.finWait2From ?? found.first).at;
    const frames = [found.first.frame, ...(found.finWait2From ? [found.finWait2From.frame] : []), found.second.frame, found.rst.frame];
    const reaping = waitedS >= LINUX_FIN_TIMEOUT_S
      ? `longer than Linux's default tcp_fin_timeout (${LINUX_FIN_TIMEOUT_S} s): its FIN_WAIT_2 had expired`
      : `shorter than Linux's default tcp_fin_timeout (${LINUX_FIN_TIMEOUT_S} s): the ${closer} host's net.ipv4.tcp_fin_timeout is below ${fmtDuration(waitedS)}, or its application exited or closed with SO_LINGER 0`;
    return [{
      kind: 'rst-after-late-fin',
      severity: 'warning',
      connection: conn.id,
      listener: conn.server,
      at: found.rst.at,
      duration_s: round3(found.gapS),
      measures: {
        rst_by: closer,
        fin_wait_2_s: round3(waitedS),
        rst_reply_s: round3(found.rst.at - found.second.at),
        rst_with_ack: found.rst.rst_with_ack ?? null,
        rst_seq_fit: found.rst.rst_seq_fit ?? null,
      },
      frames,
      filter: framesFilter(frames),
      summary: `late FIN from ${found.second.by} ${conn[found.second.by]} (${fmtDuration(found.gapS)} after the ${closer}'s) answered with RST by ${conn[closer]}: its FIN_WAIT_2 had expired`,
      explanation: `Frame ${found.first.frame}: the ${closer} closed${found.finWait2From ? `; frame ${found.finWait2From.frame}: its FIN was acknowledged, so it waited in FIN_WAIT_2` : ''}. `
        + `Frame ${found.second.frame}: the ${found.second.by}'s FIN arrived ${fmtDuration(waitedS)} later; frame ${found.rst.frame}: the ${closer} answered with RST `
        + `${fmtDuration(found.rst.at - found.second.at)} after it. A wait of ${fmtDuration(waitedS)} is ${reaping}.`,
    }];
  },
};
