import { fmtDuration, plural } from '../format';
import type { ConnectionCore, EventJson } from '../tcp/connection-view';
import { finAckOf, firstEvent, framesFilter, round3 } from './conn-facts';
import type { ConnectionDetector } from './detector';
import { findKeepaliveRace } from './keepalive-race';
import { findRstAfterLateFin } from './rst-after-late-fin';

export type AbortReason = 'refused' | 'no-connection' | 'after-idle' | 'abort' | 'ignored';

/** A RST sent this long after the last payload, not answering anything, smells of a middlebox timeout. */
const MIDDLEBOX_IDLE_S = 30;

const REASON_WORDS: Record<AbortReason, string> = {
  refused: 'connection refused: nothing listened on the port (RST answering the SYN)',
  'no-connection': 'the host no longer had this connection and answered a segment with RST',
  'after-idle': 'RST after a long idle time: an idle timeout that closes abortively, or a firewall, NAT or load balancer that dropped its state',
  abort: 'its application closed the socket with unread data in its receive buffer (Linux then sends RST, not FIN), closed it with SO_LINGER 0, or crashed',
  ignored: 'the RST was outside the receiver\'s window and was ignored (often a spoofed or stale RST)',
};

/** Both sides had closed cleanly before this RST: nothing was lost. */
function afterCompletedClose(conn: ConnectionCore, rst: EventJson): boolean {
  const c = finAckOf(conn, 'client');
  const s = finAckOf(conn, 'server');
  return c !== undefined && s !== undefined && c.frame < rst.frame && s.frame < rst.frame;
}

function abortReason(conn: ConnectionCore, rst: EventJson): AbortReason {
  if (rst.rst_seq_fit === 'out-of-window') return 'ignored';
  if (rst.by === 'server' && !firstEvent(conn, 'syn-ack', 'server') && firstEvent(conn, 'syn', 'client')) return 'refused';
  if (rst.rst_with_ack === false) return 'no-connection';
  if ((rst.idle_s ?? 0) >= MIDDLEBOX_IDLE_S) return 'after-idle';
  return 'abort';
}

export const abortiveClose: ConnectionDetector = {
  kind: 'abortive-close',
  scope: 'connection',
  needs: ['rst'],
  title: 'A connection ended by RST instead of FIN',
  explanation: `The connection ended with a RST rather than an orderly FIN exchange, so any data still in flight was thrown away and the peer's next read or write failed with "connection reset by peer". The likely reason is read from the wire:
- refused: the SYN was answered by RST: nothing listened on that port.
- no-connection: a RST without the ACK flag answering a segment: the host had no connection for it any more (it was closed, the process died, or the host rebooted).
- after-idle: RST after a long idle time without anything to answer: an application or proxy closing idle connections abortively, or a firewall, NAT or load balancer that dropped its state and resets both ends.
- abort: a RST with ACK not answering anything: the application closed the socket with unread data in its receive buffer (Linux sends RST instead of FIN then), closed it with SO_LINGER 0, or crashed. The wire cannot tell these apart; the application's logs can.
- ignored: the RST's sequence number was outside the window; the receiver ignored it (RFC 5961).
Not reported here: a RST after both sides completed their close, a RST answering a late FIN (rst-after-late-fin), a RST answering a request on a closing keep-alive connection (keepalive-race), and the client's RST clearing an old connection after a challenge ACK (port-reuse).

What to check: the application logs of the side that sent the RST at that time; for after-idle, the idle timeouts of middleboxes on the path against TCP keep-alive settings.`,
  headline({ listener, count, measures }) {
    const reasons = new Map<string, number>();
    for (const reason of measures('reason')) reasons.set(String(reason), (reasons.get(String(reason)) ?? 0) + 1);
    if (reasons.size === 1 && reasons.has('refused')) {
      return `${plural(count, 'connection attempt')} to ${listener} refused (RST answering the SYN: nothing listening)`;
    }
    const list = [...reasons.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ');
    return `${plural(count, 'connection')} of ${listener} ended by RST instead of FIN (${list})`;
  },
  detect(conn, ctx) {
    const rst = firstEvent(conn, 'rst');
    if (!rst || afterCompletedClose(conn, rst) || ctx.isScan(conn.id)) return [];
    const t = ctx.thresholds;
    if (findRstAfterLateFin(conn, t.rstReplyS) || findKeepaliveRace(conn, t.rstReplyS)) return [];
    const challenge = firstEvent(conn, 'challenge-ack');
    if (challenge && challenge.frame < rst.frame) return [];
    const reason = abortReason(conn, rst);
    const frames = [rst.frame];
    return [{
      kind: 'abortive-close',
      severity: reason === 'ignored' ? 'info' : 'warning',
      connection: conn.id,
      listener: conn.server,
      at: rst.at,
      ...(rst.idle_s !== undefined ? { duration_s: round3(rst.idle_s) } : {}),
      measures: { reason, rst_by: rst.by, rst_with_ack: rst.rst_with_ack ?? null, rst_seq_fit: rst.rst_seq_fit ?? null },
      frames,
      filter: framesFilter(frames),
      summary: reason === 'refused'
        ? `connection from ${conn.client} refused by ${conn.server}`
        : `${rst.by} ${conn[rst.by]} reset the connection: ${REASON_WORDS[reason].split(':')[0]}`,
      explanation: `Frame ${rst.frame}: RST${rst.rst_with_ack ? '/ACK' : ''} from the ${rst.by}`
        + `${rst.idle_s !== undefined ? `, ${fmtDuration(rst.idle_s)} after the last payload` : ''}. Likely reason: ${REASON_WORDS[reason]}.`,
    }];
  },
};
