import { fmtDuration, plural } from '../format';
import type { Role } from '../tcp/connection-view';
import { events, finAckOf, firstEvent, framesFilter, round3 } from './conn-facts';
import type { ConnectionDetector } from './detector';
import type { Finding } from './finding';

/** A FIN the capture saw less than this long before it ended may simply not have been answered yet. */
const CAPTURE_CUT_S = 1;
/** No TCP retransmits this fast (Linux's minimum RTO is 200 ms): closer copies are capture duplicates. */
const DUPLICATE_S = 0.01;

export const finUnacked: ConnectionDetector = {
  kind: 'fin-unacked',
  scope: 'connection',
  needs: ['fin'],
  title: 'A FIN was retransmitted, or never acknowledged',
  explanation: `A side sent FIN and the peer did not acknowledge it: the sender retransmitted it (with exponential back-off) and may have given up. The closing side sits in FIN_WAIT_1 (or LAST_ACK) meanwhile.

What it usually means: the peer is gone (crashed, rebooted, unplugged) or a firewall, NAT or load balancer between them already forgot the connection and drops its packets. If the FIN was acknowledged after retransmissions, packets were lost on the path.

What to check: whether the peer was still up at that time; state timeouts of middleboxes on the path; packet loss on the path.`,
  headline({ listener, count, measures }) {
    const never = measures('acknowledged').filter((acknowledged) => acknowledged === false).length;
    const parts = [never ? `${plural(never, 'FIN')} never acknowledged` : '', count - never ? `${plural(count - never, 'FIN')} acknowledged only after retransmission` : ''];
    return `${parts.filter(Boolean).join(', ')} on connections of ${listener}`;
  },
  detect(conn, ctx) {
    const findings: Finding[] = [];
    for (const role of ['client', 'server'] as Role[]) {
      const fin = firstEvent(conn, 'fin', role);
      if (!fin) continue;
      const ack = finAckOf(conn, role);
      // The usual ending, acknowledged at once: nothing to look into.
      if (ack && !firstEvent(conn, 'fin-retransmit', role)) continue;
      // A one-sided capture never shows the ACK; a copy within milliseconds is the same packet captured twice.
      if (conn.packets[role === 'client' ? 'server' : 'client'] === 0) continue;
      const retransmits = events(conn, 'fin-retransmit', role).filter((e, i, all) => e.at - (i === 0 ? fin.at : all[i - 1].at) >= DUPLICATE_S);
      const rst = conn.events.find((e) => e.type === 'rst' && e.frame > fin.frame);
      if (ack && retransmits.length === 0) continue;
      if (!ack && retransmits.length === 0 && (rst || ctx.captureEnd - fin.at < CAPTURE_CUT_S)) continue;
      const end = ack?.at ?? rst?.at ?? ctx.captureEnd;
      const frames = [fin.frame, ...retransmits.map((e) => e.frame), ...(ack ? [ack.frame] : [])];
      const tries = retransmits.length > 0 ? `retransmitted ${retransmits.length} time${retransmits.length === 1 ? '' : 's'} and ` : '';
      findings.push({
        kind: 'fin-unacked',
        severity: ack ? 'info' : 'warning',
        connection: conn.id,
        listener: conn.server,
        at: fin.at,
        duration_s: round3(end - fin.at),
        ...(!ack && !rst ? { duration_is_lower_bound: true } : {}),
        measures: { fin_by: role, retransmissions: retransmits.length, acknowledged: ack !== undefined },
        frames,
        filter: framesFilter(frames),
        summary: ack
          ? `FIN from ${role} ${conn[role]} ${tries}acknowledged only after ${fmtDuration(ack.at - fin.at)}`
          : `FIN from ${role} ${conn[role]} ${tries}never acknowledged (${fmtDuration(end - fin.at)}${rst ? ', then a RST' : ' until the capture ended'})`,
        explanation: `Frame ${fin.frame}: the ${role} sent FIN. `
          + (retransmits.length > 0 ? `It was retransmitted in frames ${retransmits.map((e) => e.frame).join(', ')}. ` : '')
          + (ack ? `Frame ${ack.frame} acknowledged it ${fmtDuration(ack.at - fin.at)} later: packets were lost on the way.`
            : `The ${role === 'client' ? 'server' : 'client'} never acknowledged it: it was gone, or something on the path dropped the connection's packets.`),
      });
    }
    return findings;
  },
};
