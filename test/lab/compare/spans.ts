import type { ConnectionJson, Role } from '../../../src/report/report-model';
import type { TcpState } from '../../../src/tcp/tcp-state';
import type { StateInterval, Truth, TruthConnection } from '../truth-model';

/** A time in one state; `to` null: still in it when the capture ended. */
export interface Span {
  from: number;
  to: number | null;
}

/** The analyzer's time in `state` on one side, from its state timeline. */
export function analyzerSpan(conn: ConnectionJson, role: Role, state: TcpState): Span | null {
  const timeline = conn.states[role];
  const i = timeline.findIndex((s) => s.state === state);
  if (i < 0) return null;
  return { from: timeline[i].at, to: i + 1 < timeline.length ? timeline[i + 1].at : null };
}

export function truthInterval(tc: TruthConnection, role: Role, state: string): StateInterval | undefined {
  return tc.states[role].find((s) => s.state === state);
}

/** The snapshots around a kernel interval: the change into it happened after `before` (at or before
 * `from`), the change out of it after `to` and at or before `after` (null: it lasted to the end). */
export function bracket(truth: Truth, role: Role, interval: StateInterval): { before: number; after: number | null } {
  const times = truth.poll.times[role];
  const before = [...times].reverse().find((t) => t < interval.from - 1e-6) ?? truth.timing.capture_start;
  const after = times.find((t) => t > interval.to + 1e-6) ?? null;
  return { before, after };
}
