import { grown, RecordChains } from './record-chains';
import type { StateChange, TcpState } from './tcp-state';

const STATES: readonly TcpState[] = [
  'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK',
  'CLOSED', 'RESET',
];
const STATE_CODE = new Map(STATES.map((state, code) => [state, code]));
const INFERRED = 0x80;

/** The state timelines of every side being replayed (see StateChange). */
export class StateRecords extends RecordChains {
  /** The state's code, | INFERRED. */
  private state: Uint8Array;
  private at: Float64Array;
  private frame: Uint32Array;

  constructor(capacity = 1024) {
    super(capacity);
    this.state = new Uint8Array(capacity);
    this.at = new Float64Array(capacity);
    this.frame = new Uint32Array(capacity);
  }

  /** Logs a change after `tail` (-1: the side's first); returns its index. */
  append(tail: number, state: TcpState, at: number, frame: number, inferred: boolean): number {
    const i = this.appendAfter(tail);
    this.state[i] = (STATE_CODE.get(state) ?? 0) | (inferred ? INFERRED : 0);
    this.at[i] = at;
    this.frame[i] = frame;
    return i;
  }

  /** Change `i` in the report's shape. */
  change(i: number): StateChange {
    const code = this.state[i];
    const state = STATES[code & ~INFERRED];
    return (code & INFERRED) !== 0 ? { state, at: this.at[i], frame: this.frame[i], inferred: true } : { state, at: this.at[i], frame: this.frame[i] };
  }

  protected resizeColumns(capacity: number): void {
    this.state = grown(this.state, capacity);
    this.at = grown(this.at, capacity);
    this.frame = grown(this.frame, capacity);
  }
}
