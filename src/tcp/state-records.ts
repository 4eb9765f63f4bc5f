import { IdPages, REPLAY_PAGE_BITS } from '../flow/id-pages';
import { RecordChains } from './record-chains';
import { tcpStateCode, tcpStateOf, type StateChange, type TcpState } from './tcp-state';

const INFERRED = 0x80;

/** The state timelines of every side being replayed (see StateChange). */
export class StateRecords extends RecordChains {
  private readonly at = new IdPages((n) => new Float64Array(n), 1, REPLAY_PAGE_BITS);
  /** Frame numbers may pass 2^32 in a merged set of rotated captures. */
  private readonly frame = new IdPages((n) => new Float64Array(n), 1, REPLAY_PAGE_BITS);
  /** The state's code, | INFERRED. */
  private readonly state = new IdPages((n) => new Uint8Array(n), 1, REPLAY_PAGE_BITS);

  /** Logs a change after `tail` (-1: the side's first); returns its index. */
  append(tail: number, state: TcpState, at: number, frame: number, inferred: boolean): number {
    const i = this.appendAfter(tail);
    this.state.set(i, 0, tcpStateCode(state) | (inferred ? INFERRED : 0));
    this.at.set(i, 0, at);
    this.frame.set(i, 0, frame);
    return i;
  }

  /** Change `i` in the report's shape. */
  change(i: number): StateChange {
    const code = this.state.get(i);
    const state = tcpStateOf(code & ~INFERRED);
    if (state === null) throw new Error(`state record ${i} holds no state`);
    const at = this.at.get(i);
    const frame = this.frame.get(i);
    return (code & INFERRED) !== 0 ? { state, at, frame, inferred: true } : { state, at, frame };
  }

  protected ensureColumns(i: number): number {
    this.at.ensure(i);
    this.frame.ensure(i);
    return this.state.ensure(i);
  }
}
