import { fmtDuration, plural } from '../format';
import { finAckOf, firstEvent, framesFilter, round3 } from './conn-facts';
import type { ConnectionDetector } from './detector';

export const portReuse: ConnectionDetector = {
  kind: 'port-reuse',
  scope: 'connection',
  needs: ['challenge-ack'],
  title: 'A client port was reused while the server still held the old connection',
  explanation: `A client opened a new connection from the same address and port as an earlier one, while the server still had the earlier connection (typically in CLOSE_WAIT: the client had closed, the server application had not). The server's TCP answers the new SYN with an ACK for the old connection (a "challenge ACK", RFC 5961) instead of a SYN-ACK; the client answers that with a RST, which clears the old connection, and its next SYN retransmission gets through. The new connection is delayed by the client's SYN retransmission timeout (1 s or more).

What it usually means: the server leaves connections half-closed for so long that clients cycle through their ephemeral ports and come back to one of them (see half-closed).

What to check: the half-closed connections of this server; the clients' ephemeral port range (net.ipv4.ip_local_port_range) and connection rate.`,
  headline({ listener, count }) {
    return `${plural(count, 'client port')} reused while ${listener} still held the old connection (challenge ACK, then RST, then a retried SYN)`;
  },
  detect(conn, ctx) {
    const challenge = firstEvent(conn, 'challenge-ack', 'server');
    if (!challenge) return [];
    const old = conn.previous === null ? undefined : ctx.connection(conn.previous);
    const syn = firstEvent(conn, 'syn', 'client');
    const rst = conn.events.find((e) => e.type === 'rst' && e.by === 'client' && e.frame > challenge.frame);
    const synAck = firstEvent(conn, 'syn-ack', 'server');
    const oldFin = old && firstEvent(old, 'fin', 'client');
    const oldAck = old && finAckOf(old, 'client');
    const halfClosedS = oldAck && syn ? syn.at - oldAck.at : null;
    const frames = [syn?.frame, challenge.frame, rst?.frame, synAck?.frame, oldFin?.frame].filter((f): f is number => f !== undefined);
    const heldFor = halfClosedS !== null ? `, half-closed for ${fmtDuration(halfClosedS)}` : '';
    return [{
      kind: 'port-reuse',
      severity: 'warning',
      connection: conn.id,
      listener: conn.server,
      at: challenge.at,
      ...(synAck && syn ? { duration_s: round3(synAck.at - syn.at) } : {}),
      measures: { previous_connection: conn.previous, previous_half_closed_s: halfClosedS === null ? null : round3(halfClosedS) },
      frames,
      filter: framesFilter(frames),
      summary: `client port ${conn.client} reused while the server still held ${old ? `connection #${old.id}` : 'an older connection (from before the capture)'}${heldFor}: challenge ACK${rst ? ', RST' : ''}${synAck ? `, connected ${fmtDuration(synAck.at - (syn?.at ?? synAck.at))} late` : ''}`,
      explanation: `Frame ${syn?.frame ?? '?'}: new SYN from ${conn.client}. Frame ${challenge.frame}: the server answered with a bare ACK for its old connection`
        + `${old ? ` #${old.id}` : ''}${heldFor ? ` (which it had held${heldFor.slice(1)} after the client's FIN)` : ''}. `
        + (rst ? `Frame ${rst.frame}: the client reset it. ` : '')
        + (synAck ? `Frame ${synAck.frame}: the retried SYN was answered.` : 'The new connection was not established before the capture ended.'),
    }];
  },
};
