import { median } from 'd3-array';
import { fmtDuration, fmtTime, plural } from '../format';
import { framesFilter, round3 } from './conn-facts';
import type { ConnectionFacts } from './connection-facts';
import type { ListenerDetector } from './detector';

/** Names the retransmission schedule: doubling intervals, or Linux's linear first retries. */
function backoffWords(offsets: number[]): string {
  if (offsets.length < 2) return '';
  const first = offsets[0];
  const second = offsets[1] - offsets[0];
  return second > 1.5 * first
    ? ' (exponential back-off: the interval doubles each time)'
    : ' (equal intervals: Linux retries linearly first when net.ipv4.tcp_syn_linear_timeouts is set, the default on recent kernels)';
}

export const synUnanswered: ListenerDetector = {
  kind: 'syn-unanswered',
  scope: 'listener',
  title: 'SYNs that got no SYN-ACK (or only after retransmissions)',
  explanation: `Clients sent SYNs to this listener that were not answered, or answered only after the client retransmitted them. A listening socket whose accept queue is full drops new SYNs (Linux: "listen queue overflow", nstat TcpExtListenOverflows / ListenDrops) instead of answering them; the client retransmits, classically 1 s, 3 s, 7 s, 15 s… after its first SYN (recent Linux kernels retry at 1 s intervals a few times first, net.ipv4.tcp_syn_linear_timeouts). A firewall dropping the SYNs, or a host that is down, looks the same, but then no SYN is ever answered.

What to check: nstat -az TcpExtListenOverflows TcpExtListenDrops on the server; the listen backlog (somaxconn, the backlog argument of listen()); whether the application accepts connections as fast as they come (see listener-saturation).`,
  headline({ finding }) {
    return finding(0).summary;
  },
  detect(listener, conns, ctx) {
    const unanswered: ConnectionFacts[] = [];
    const late: ConnectionFacts[] = [];
    for (let i = 0; i < conns.length; i++) {
      const c = conns.at(i);
      if (c.attempt === 'unanswered' && !ctx.isScan(c.id)) unanswered.push(c);
      else if (c.attempt === 'answered-late') late.push(c);
    }
    const all = [...unanswered, ...late];
    if (all.length === 0) return [];
    const offsetsOf = all.map((c) => c.synRetransmitOffsets);
    const offsets = offsetsOf.flat();
    const medians = [1, 2, 3, 4].map((n) => median(offsetsOf.filter((o) => o.length >= n).map((o) => o[n - 1])))
      .filter((x): x is number => x !== undefined);
    const pattern = medians.map((x) => `+${fmtDuration(x)}`);
    const starts = all.map((c) => c.start).sort((a, b) => a - b);
    const frames = all.slice(0, 20).flatMap((c) => c.synFrames);
    const parts = [];
    if (unanswered.length > 0) parts.push(`${plural(unanswered.length, 'connection attempt')} never answered`);
    if (late.length > 0) parts.push(`${plural(late.length, 'connection attempt')} answered only after SYN retransmissions`);
    return [{
      kind: 'syn-unanswered',
      severity: 'warning',
      connections: all.map((c) => c.id),
      listener,
      at: starts[0],
      duration_s: round3(starts[starts.length - 1] - starts[0]),
      measures: {
        unanswered: unanswered.length,
        answered_after_retransmission: late.length,
        retransmissions: offsets.length,
        retransmit_pattern: pattern.join(' ') || null,
      },
      frames,
      filter: framesFilter(frames),
      summary: `${parts.join(', ')} by ${listener} between ${fmtTime(starts[0], false)} and ${fmtTime(starts[starts.length - 1], false)}`,
      explanation: `${parts.join('; ')}. `
        + (pattern.length > 0 ? `Clients retransmitted their SYNs at ${pattern.join(', ')} after the first${backoffWords(medians)}. ` : '')
        + (late.length > 0 ? 'SYNs that were answered after a retransmission were dropped at first: a full accept queue drops SYNs and answers them later, when there is room. ' : '')
        + 'Check the listener\'s accept queue (ss -ltn Recv-Q, nstat TcpExtListenOverflows) and any firewall in between.',
    }];
  },
};
