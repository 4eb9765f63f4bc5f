import { ZeekConnTracker } from '../../../src/tcp/zeek';
import { ZeekConnClock } from './zeek-clock';
import { flagBits, type Side, type Step } from './steps';

/** A segment at a capture time (seconds). */
type Timed = [ts: number, step: Step];

/**
 * Feeds timed segments with the clock consulted before each, as the flow layer will; a timed-out connection
 * is replaced by a fresh one. Returns the history of each connection.
 */
function connections(segments: readonly Timed[]): string[] {
  const done: string[] = [];
  let live: { tracker: ZeekConnTracker; clock: ZeekConnClock } | null = null;
  let origSide: Side = 'A';
  for (const [ts, [side, flags, seq, ack, len = 0, window = 65535]] of segments) {
    if (live && live.clock.expiredBy(live.tracker, ts)) {
      done.push(live.tracker.history);
      live = null;
    }
    if (!live) {
      live = { tracker: new ZeekConnTracker(), clock: new ZeekConnClock(ts) };
      origSide = side;
    }
    live.tracker.update(side === origSide, flagBits(flags), seq, ack, len, window, 40 + len);
    live.clock.afterUpdate(live.tracker, ts);
    if (live.tracker.rolesFlipped) origSide = origSide === 'A' ? 'B' : 'A';
  }
  if (live) done.push(live.tracker.history);
  return done;
}

const HANDSHAKE_AT_0: readonly Timed[] = [
  [0, ['A', 'S', 100, 0]],
  [0.1, ['B', 'SA', 500, 101]],
  [0.2, ['A', 'A', 101, 501]],
];

describe('ZeekConnClock: when Zeek forgets a connection', () => {
  it('inactivity: 5 minutes of silence after the handshake', () => {
    const data: Timed[] = [[1, ['A', 'PA', 101, 501, 10]], [1.1, ['B', 'A', 501, 111]]];
    expect(connections([...HANDSHAKE_AT_0, ...data, [300.9, ['A', 'PA', 111, 501, 10]]])).toEqual(['ShADa']);
    expect(connections([...HANDSHAKE_AT_0, ...data, [301.2, ['A', 'PA', 111, 501, 10]]])).toEqual(['ShADa', 'D']);
  });

  it('inactivity: also for a partial connection (Zeek conn-all.log of retransmit-timeout)', () => {
    const segs: Timed[] = [[0, ['A', 'A', 1001, 2001, 18]], [0.00001, ['B', 'A', 2001, 1019]], [300.00001, ['A', 'A', 1001, 2001, 18]]];
    expect(connections(segs)).toEqual(['Da', 'D']);
  });

  it('uses the short UDP-style timeout until the handshake is over', () => {
    const t = new ZeekConnTracker();
    t.update(true, flagBits('S'), 100, 0, 0, 65535, 40);
    expect(t.inactivityTimeoutSec).toBe(60);
    t.update(false, flagBits('SA'), 500, 101, 0, 65535, 40);
    expect(t.inactivityTimeoutSec).toBe(300);
  });

  it('connection attempt: an unanswered SYN is dropped 5 s after it', () => {
    const syn: Step = ['A', 'S', 100, 0];
    expect(connections([[0, syn], [1, syn], [3, syn]])).toEqual(['S']);
    expect(connections([[0, syn], [1, syn], [3, syn], [7, syn]])).toEqual(['S', 'S']);
  });

  it('connection attempt: an answered SYN stays', () => {
    expect(connections([...HANDSHAKE_AT_0, [10, ['A', 'PA', 101, 501, 5]]])).toEqual(['ShAD']);
  });

  it('close delay: 5 s after the close completes', () => {
    const close: Timed[] = [[1, ['A', 'FA', 101, 501]], [1.5, ['B', 'FA', 501, 102]]];
    const late: Timed = [6.4, ['A', 'A', 102, 502]];
    expect(connections([...HANDSHAKE_AT_0, ...close, late])).toEqual(['ShAFf']);
    expect(connections([...HANDSHAKE_AT_0, ...close, [6.6, late[1]]])).toEqual(['ShAFf', 'A']);
  });

  it('close delay: a lone RST ends its connection too (Teredo: FIN, then RST 10 s later)', () => {
    const segs: Timed[] = [[0, ['A', 'FA', 2000, 1000]], [0.001, ['B', 'A', 1000, 2001]], [10, ['B', 'RA', 1000, 2001]]];
    expect(connections(segs)).toEqual(['Fa', 'R']);
  });

  it('expire timer: a half-closed connection that was then reset goes once idle past the linger time', () => {
    const segs: Timed[] = [
      ...HANDSHAKE_AT_0,
      [1, ['A', 'FA', 101, 501]],
      [2, ['B', 'PA', 501, 102, 10]],
      [9, ['A', 'R', 102, 0]],
    ];
    expect(connections([...segs, [13, ['B', 'PA', 511, 102, 10]]])).toEqual(['ShAFdR']);
    expect(connections([...segs, [20, ['B', 'PA', 511, 102, 10]]])).toEqual(['ShAFdR', 'D']);
  });

  it('expire timer: a half-closed connection with both sides alive stays', () => {
    const segs: Timed[] = [...HANDSHAKE_AT_0, [1, ['A', 'FA', 101, 501]], [2, ['B', 'PA', 501, 102, 10]]];
    expect(connections([...segs, [200, ['B', 'PA', 511, 102, 10]]])).toEqual(['ShAFd']);
  });
});
