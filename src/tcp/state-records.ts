import { IdPages, REPLAY_PAGE_BITS } from '../flow/id-pages';
import { frameHigh, frameNumber, RecordChains } from './record-chains';
import { tcpStateCode, tcpStateOf, type StateChange, type TcpState } from './tcp-state';

const INFERRED = 0x80;
// Columns of `codes`:
const STATE = 0;
const FRAME_HIGH = 1;

/** The state timelines of every side being replayed (see StateChange). */
export class StateRecords extends RecordChains {
  private readonly at = new IdPages((n) => new Float64Array(n), 1, REPLAY_PAGE_BITS);
  /** The low 32 bits of the frame number (see frameHigh). */
  private readonly frameLow = new IdPages((n) => new Uint32Array(n), 1, REPLAY_PAGE_BITS);
  /** The state's code, | INFERRED; and the frame number's high bits. */
  private readonly codes = new IdPages((n) => new Uint8Array(n), 2, REPLAY_PAGE_BITS);

  /** Logs a change after `tail` (-1: the side's first); returns its index. */
  append(tail: number, state: TcpState, at: number, frame: number, inferred: boolean): number {
    const i = this.appendAfter(tail);
    this.codes.set(i, STATE, tcpStateCode(state) | (inferred ? INFERRED : 0));
    this.codes.set(i, FRAME_HIGH, frameHigh(frame));
    this.at.set(i, 0, at);
    this.frameLow.set(i, 0, frame >>> 0);
    return i;
  }

  /** Change `i` in the report's shape. */
  change(i: number): StateChange {
    const code = this.codes.get(i, STATE);
    const state = tcpStateOf(code & ~INFERRED);
    if (state === null) throw new Error(`state record ${i} holds no state`);
    const at = this.at.get(i);
    const frame = frameNumber(this.frameLow.get(i), this.codes.get(i, FRAME_HIGH));
    return (code & INFERRED) !== 0 ? { state, at, frame, inferred: true } : { state, at, frame };
  }

  protected ensureColumns(i: number): number {
    this.at.ensure(i);
    this.frameLow.ensure(i);
    return this.codes.ensure(i);
  }
}
