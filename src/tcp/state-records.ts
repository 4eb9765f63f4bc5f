import { REPLAY_PAGE_BITS } from '../flow/id-pages';
import { frameHigh, frameNumber, RecordChains, type RecordMemory } from './record-chains';
import { tcpStateCode, tcpStateOf, type StateChange, type TcpState } from './tcp-state';

const INFERRED = 0x80;
// A state record's fields (20 bytes, see RecordChains): 32-bit words: its time (a double, as two words: a
// record of 24 bytes for its alignment took 28 MB more of bench (b)'s 4.7 million), the low 32 bits of
// the frame number (see frameHigh), then `next`; bytes: the state's code | INFERRED, and the frame
// number's high bits.
const AT = 0;
const FRAME_LOW = 2;
const NEXT = 3;
const STATE = 16;
const FRAME_HIGH = 17;
/** Bytes a state change takes, in the replay and in a connection's record (see RecordChains.copyRecord). */
export const STATE_RECORD_BYTES = 20;

/** A time in and out of two 32-bit words. */
const TIME = new Float64Array(1);
const TIME_WORDS = new Uint32Array(TIME.buffer);

/** The state timelines of every side being replayed (see StateChange). */
export class StateRecords extends RecordChains {
  constructor() {
    super(STATE_RECORD_BYTES, NEXT);
  }

  /** Logs a change after `tail` (-1: the side's first); returns its index. */
  append(tail: number, state: TcpState, at: number, frame: number, inferred: boolean): number {
    const i = this.appendAfter(tail);
    const page = i >>> REPLAY_PAGE_BITS;
    const b = this.byteAt(i);
    const bytes = this.u8[page];
    bytes[b + STATE] = tcpStateCode(state) | (inferred ? INFERRED : 0);
    bytes[b + FRAME_HIGH] = frameHigh(frame);
    const words = this.u32[page];
    const w = this.wordAt(i);
    TIME[0] = at;
    words[w + AT] = TIME_WORDS[0];
    words[w + AT + 1] = TIME_WORDS[1];
    words[w + FRAME_LOW] = frame >>> 0;
    return i;
  }
}

/** The change whose record (see copyRecord) is at byte `at` of `m`, in the report's shape: `inferred`
 * always there, undefined (left out of the JSON) unless true, so that every change has one shape for V8
 * (see eventOf). */
export function stateChange(m: RecordMemory, at: number): StateChange {
  const code = m.u8[at + STATE];
  const state = tcpStateOf(code & ~INFERRED);
  if (state === null) throw new Error(`a state change record at byte ${at} holds no state`);
  const w = at >>> 2;
  TIME_WORDS[0] = m.u32[w + AT];
  TIME_WORDS[1] = m.u32[w + AT + 1];
  const frame = frameNumber(m.u32[w + FRAME_LOW], m.u8[at + FRAME_HIGH]);
  return { state, at: TIME[0], frame, inferred: (code & INFERRED) !== 0 ? true : undefined };
}
