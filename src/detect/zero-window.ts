import { fmtDuration, plural } from '../format';
import type { EventJson } from '../tcp/connection-view';
import { framesFilter, round3 } from './conn-facts';
import type { ConnectionDetector } from './detector';

export const zeroWindow: ConnectionDetector = {
  kind: 'zero-window',
  scope: 'connection',
  needs: ['zero-window'],
  title: 'A receiver stopped reading (zero window) before the connection ended',
  explanation: `A side advertised a zero receive window: its receive buffer was full because its application stopped reading. The sender then can only probe. If the connection is torn down while the window is still zero, the teardown was most likely a reaction to the stall (a timeout on the sender, or the stuck reader being killed).

Short zero windows are normal flow control; long ones, or ones that last until the end, are not.

What to check: what the reading application was blocked on at that time (a slow consumer, a full downstream, a deadlock); the sender's write timeouts.`,
  headline({ listener, count, measures, durationRange }) {
    const torn = measures('teardown_during_zero_window').filter((value) => value === true).length;
    return `${plural(count, 'connection')} of ${listener} stalled by a zero window for ${durationRange}${torn ? `; ${torn} torn down before it reopened` : ''}`;
  },
  detect(conn, ctx) {
    let worst: { zero: EventJson; end: number; reopened: boolean; teardown: EventJson | undefined } | undefined;
    for (const zero of conn.events.filter((e) => e.type === 'zero-window')) {
      const reopen = conn.events.find((e) => e.type === 'window-reopen' && e.by === zero.by && e.frame > zero.frame);
      const teardown = conn.events.find((e) => (e.type === 'fin' || e.type === 'rst') && e.frame > zero.frame && (!reopen || e.frame < reopen.frame));
      const end = reopen?.at ?? teardown?.at ?? ctx.captureEnd;
      if (!worst || end - zero.at > worst.end - worst.zero.at) worst = { zero, end, reopened: reopen !== undefined, teardown };
    }
    if (!worst) return [];
    const { zero, end, teardown } = worst;
    const durationS = end - zero.at;
    if (!teardown && durationS < ctx.thresholds.zeroWindowS) return [];
    const frames = [zero.frame, ...(teardown ? [teardown.frame] : [])];
    return [{
      kind: 'zero-window',
      severity: 'warning',
      connection: conn.id,
      listener: conn.server,
      at: zero.at,
      duration_s: round3(durationS),
      ...(!worst.reopened && !teardown ? { duration_is_lower_bound: true } : {}),
      measures: { stalled_side: zero.by, teardown_during_zero_window: teardown !== undefined },
      frames,
      filter: framesFilter(frames),
      summary: `${zero.by} ${conn[zero.by]} advertised a zero window for ${fmtDuration(durationS)}`
        + (teardown ? ` and the connection was ${teardown.type === 'rst' ? 'reset' : 'closed'} by the ${teardown.by} before it reopened` : ''),
      explanation: `Frame ${zero.frame}: the ${zero.by}'s receive window reached zero (its application stopped reading). `
        + (teardown ? `Frame ${teardown.frame}: the ${teardown.by} ${teardown.type === 'rst' ? 'reset' : 'closed'} the connection while the window was still zero.`
          : worst.reopened ? `It reopened ${fmtDuration(durationS)} later.` : 'It had not reopened when the capture ended.'),
    }];
  },
};
