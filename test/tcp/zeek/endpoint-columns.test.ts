import { TCP_SYN } from '../../../src/decode/tcp-packet';
import { ZeekConnTracker, ZeekEndpointColumns } from '../../../src/tcp/zeek';
import { flagBits, runSteps, type Side, type Step } from './steps';

// Trackers keep no endpoint objects: each moves the columns' two handles to its own slots when asked
// anything. These check that trackers updated in turn do not see each other's endpoints.

const RETRANSMITTED: readonly Step[] = [
  ['A', 'S', 100, 0], ['B', 'SA', 500, 101], ['A', 'A', 101, 501],
  ['A', 'PA', 101, 501, 10], ['A', 'PA', 101, 501, 10], ['B', 'A', 501, 111, 0, 0], ['B', 'PA', 501, 111, 5],
  ['A', 'FA', 111, 506], ['B', 'FA', 506, 112], ['A', 'A', 112, 507],
];
/** Seen from its SYN-ACK first: the tracker flips its roles on the ACK that follows. */
const FLIPPED: readonly Step[] = [['A', 'SA', 500, 101], ['B', 'A', 101, 501], ['B', 'PA', 101, 501, 20], ['A', 'RA', 501, 121]];
const HALF_OPEN: readonly Step[] = [['A', 'S', 7000, 0], ['A', 'S', 7000, 0], ['B', 'RA', 0, 7001]];
/** Flipped on data after the SYN-ACK: its sizes and states are read through handles swapped with the slots. */
const FLIPPED_ON_DATA: readonly Step[] = [['A', 'SA', 500, 101], ['B', 'PA', 101, 501, 20], ['A', 'A', 501, 121]];
/** Open at the end: differs from RETRANSMITTED in everything asked. */
const OPEN: readonly Step[] = [['A', 'S', 9000, 0], ['B', 'SA', 3000, 9001], ['A', 'A', 9001, 3001]];

const GETTERS: readonly (readonly [string, (t: ZeekConnTracker) => unknown])[] = [
  ['origState', (t) => t.origState], ['respState', (t) => t.respState],
  ['origClosed', (t) => t.origClosed], ['respClosed', (t) => t.respClosed],
  ['origBytes', (t) => t.origBytes], ['respBytes', (t) => t.respBytes],
  ['connState', (t) => t.connState()], ['history', (t) => t.history],
  ['isReuse', (t) => t.isReuse(TCP_SYN, 9000)],
];

/** What the tracker says, each getter asked right after `decoy` was asked something else (which moved
 * the handles to its own endpoints): each getter must move them back itself. */
function summary(t: ZeekConnTracker, decoy?: ZeekConnTracker): Record<string, unknown> {
  return Object.fromEntries(GETTERS.map(([name, get]) => {
    if (decoy !== undefined && name === 'connState') void decoy.origState;
    else if (decoy !== undefined) decoy.connState();
    return [name, get(t)];
  }));
}

/** Runs each list of steps on its own tracker in `columns`, one step of each in turn. */
function interleaved(columns: ZeekEndpointColumns, runs: readonly (readonly Step[])[]): ZeekConnTracker[] {
  const trackers = runs.map(() => new ZeekConnTracker(false, columns));
  const origSides: Side[] = runs.map(() => 'A');
  const longest = Math.max(...runs.map((r) => r.length));
  for (let i = 0; i < longest; i++) {
    runs.forEach((steps, k) => {
      if (i >= steps.length) return;
      const [side, flags, seq, ack, len = 0, window = 65535] = steps[i];
      const t = trackers[k];
      t.update(side === origSides[k], flagBits(flags), seq >>> 0, ack >>> 0, len, window, 40 + len);
      if (t.rolesFlipped) origSides[k] = origSides[k] === 'A' ? 'B' : 'A';
      // Asking one tracker something between the others' updates moves the handles too.
      t.connState();
    });
  }
  return trackers;
}

describe('Zeek endpoints in shared columns', () => {
  it('gives each of several trackers updated in turn the result it has alone', () => {
    const runs = [RETRANSMITTED, FLIPPED, HALF_OPEN, RETRANSMITTED, FLIPPED_ON_DATA, OPEN];
    const alone = runs.map((steps) => summary(runSteps(steps)));
    // Pinned, not only compared: a tracker that swapped its slots but not its handles on a flip gives the
    // same wrong answer alone as with others.
    expect(alone[0].history).toBe('ShADTawdFf');
    expect(alone[1].history).toBe('^hADr');
    expect(alone[4]).toMatchObject({ history: '^hDa', origState: 'PARTIAL', respState: 'SYN_ACK_SENT', origBytes: 20, respBytes: 0 });
    const trackers = interleaved(new ZeekEndpointColumns(), runs);
    const open = trackers[5];
    expect(trackers.map((t) => summary(t, t === open ? trackers[0] : open))).toEqual(alone);
  });

  it('gives slots and rare counts back on release, and a reused slot starts afresh', () => {
    const columns = new ZeekEndpointColumns();
    const [first] = interleaved(columns, [RETRANSMITTED]);
    // A retransmission and a zero window: counts kept beside the columns.
    expect(columns.rare.size).toBe(2);
    first.release();
    expect(columns.rare.size).toBe(0);
    // Takes the slots just given back: nothing of the first tracker's counts or states shows.
    const [second] = interleaved(columns, [RETRANSMITTED]);
    expect(summary(second)).toEqual(summary(runSteps(RETRANSMITTED)));
  });
});
