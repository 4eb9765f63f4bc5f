import { fmtDuration, plural } from '../format';
import { framesFilter, majority, round3 } from './conn-facts';
import type { ConnectionDetector } from './detector';
import { matchKnownTimeout } from './timeouts';

export const idleTimeout: ConnectionDetector = {
  kind: 'idle-timeout',
  scope: 'connection',
  needs: [],
  title: 'A connection was closed after an idle time that matches a well-known default timeout',
  explanation: `The connection was idle (no payload either way) for a time that matches a well-known default, and then one side closed it. Which timer fired tells who closed and why: Go's http.Transport closes idle keep-alive connections after 90 s, nginx after 75 s (65 s in many distribution configs), Node.js servers after 5 s, AWS load balancers after 60 s (ALB) or 350 s (NLB, NAT gateway).

This is information, not a fault; it explains other findings (which connection held a slot and why it let go, which side's timeout is shorter in a keep-alive race).`,
  headline({ listener, count, measures, durationRange }) {
    const what = majority(measures('matches'));
    const by = majority(measures('closed_by'));
    return `${plural(count, 'connection')} of ${listener} closed by the ${by} after ${durationRange} idle: matches ${what}`;
  },
  detect(conn, ctx) {
    const close = conn.events.find((e) => e.type === 'fin' || e.type === 'rst');
    if (!close || close.idle_s === undefined || close.idle_s < ctx.thresholds.idleTimeoutMinS) return [];
    const match = matchKnownTimeout(close.idle_s);
    if (!match) return [];
    return [{
      kind: 'idle-timeout',
      severity: 'info',
      connection: conn.id,
      listener: conn.server,
      at: close.at,
      duration_s: round3(close.idle_s),
      measures: { closed_by: close.by, matches: match.what },
      frames: [close.frame],
      filter: framesFilter([close.frame]),
      summary: `${close.by} ${conn[close.by]} closed the connection after ${fmtDuration(close.idle_s)} idle: matches ${match.what}`,
      explanation: `Frame ${close.frame}: ${close.type === 'fin' ? 'FIN' : 'RST'} from the ${close.by} after ${fmtDuration(close.idle_s)} without payload in either direction. That matches ${match.what}.`,
    }];
  },
};
