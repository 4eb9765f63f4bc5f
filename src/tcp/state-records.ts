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

  /** Writes change `i`'s numbers (STATE_NUMBERS of them) to `out` from `k`: what stateChange reads back. */
  copy(i: number, out: Float64Array, k: number): void {
    out[k] = this.codes.get(i, STATE);
    out[k + 1] = this.at.get(i);
    out[k + 2] = frameNumber(this.frameLow.get(i), this.codes.get(i, FRAME_HIGH));
  }

  protected ensureColumns(i: number): number {
    this.at.ensure(i);
    this.frameLow.ensure(i);
    return this.codes.ensure(i);
  }
}

/** Numbers a state change takes in a connection record (see StateRecords.copy). */
export const STATE_NUMBERS = 3;

/** The change StateRecords.copy wrote at `d[k]`, in the report's shape. */
export function stateChange(d: Float64Array, k: number): StateChange {
  const code = d[k];
  const state = tcpStateOf(code & ~INFERRED);
  if (state === null) throw new Error(`a state change record at ${k} holds no state`);
  const at = d[k + 1];
  const frame = d[k + 2];
  return (code & INFERRED) !== 0 ? { state, at, frame, inferred: true } : { state, at, frame };
}
