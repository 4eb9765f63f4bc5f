import { CONN_EVENT_TYPES, RST_SEQ_FITS, type ConnEvent, type ConnEventType, type Role, type RstSeqFit } from './events';
import { IdPages, REPLAY_PAGE_BITS } from '../flow/id-pages';
import { frameHigh, frameNumber, RecordChains } from './record-chains';

/** The events logged as records: a side's first and last payload are kept by the side (see Side). */
export type LoggedEventType = Exclude<ConnEventType, 'first-data' | 'last-data'>;

const EVENT_TYPES = CONN_EVENT_TYPES.filter((type): type is LoggedEventType => type !== 'first-data' && type !== 'last-data');
const TYPE_CODE = new Map(EVENT_TYPES.map((type, code) => [type, code]));
const FIN = TYPE_CODE.get('fin');
const RST = TYPE_CODE.get('rst');
const FIT_CODE = new Map(RST_SEQ_FITS.map((fit, code) => [fit, code]));
const RST_WITH_ACK = 0x80;

// An event's numbers as `copy` writes them.
const TYPE_AT = 0;
const SIDE_AT = 1;
const TIME_AT = 2;
const FRAME_AT = 3;
const SEQ_AT = 4;
const ACK_AT = 5;
const LEN_AT = 6;
const IDLE_AT = 7;
const RST_AT = 8;
/** Numbers an event takes in a connection record (see EventRecords.copy). */
export const EVENT_NUMBERS = 9;

// Columns of EventRecords, grouped by type. Times:
const AT = 0;
/** FIN and RST only: idle_s. */
const IDLE = 1;
// 32-bit sequence numbers and lengths, and the low 32 bits of the frame number (see frameHigh):
const SEQ = 0;
const ACK = 1;
const LEN = 2;
const FRAME_LOW = 3;
const TYPE = 0;
const SIDE = 1;
/** RST only: RST_WITH_ACK | the code of its rst_seq_fit. */
const RST_BITS = 2;
const FRAME_HIGH = 3;

/** The events of every connection being replayed (see ConnEvent), by side (0/1) rather than role: a role
 * flip then changes nothing logged. Made into ConnEvent objects only for the report view. */
export class EventRecords extends RecordChains {
  private readonly times = new IdPages((n) => new Float64Array(n), 2, REPLAY_PAGE_BITS);
  private readonly words = new IdPages((n) => new Uint32Array(n), 4, REPLAY_PAGE_BITS);
  private readonly codes = new IdPages((n) => new Uint8Array(n), 4, REPLAY_PAGE_BITS);

  /** Logs an event after `tail` (-1: the connection's first); returns its index. */
  append(tail: number, type: LoggedEventType, side: 0 | 1, at: number, frame: number, seq: number, ack: number, len: number): number {
    const i = this.appendAfter(tail);
    this.codes.set(i, TYPE, TYPE_CODE.get(type) ?? 0);
    this.codes.set(i, SIDE, side);
    this.times.set(i, AT, at);
    this.words.set(i, FRAME_LOW, frame >>> 0);
    this.codes.set(i, FRAME_HIGH, frameHigh(frame));
    this.words.set(i, SEQ, seq);
    this.words.set(i, ACK, ack);
    this.words.set(i, LEN, len);
    return i;
  }

  /** Sets what only a FIN or RST carries on event `i`. */
  setClose(i: number, idleS: number, rstWithAck = false, rstSeqFit: RstSeqFit = 'unknown'): void {
    this.times.set(i, IDLE, idleS);
    this.codes.set(i, RST_BITS, (rstWithAck ? RST_WITH_ACK : 0) | (FIT_CODE.get(rstSeqFit) ?? 0));
  }

  frameOf(i: number): number {
    return frameNumber(this.words.get(i, FRAME_LOW), this.codes.get(i, FRAME_HIGH));
  }

  /** Writes event `i`'s numbers (EVENT_NUMBERS of them) to `out` from `k`: what loggedEvent reads back. */
  copy(i: number, out: Float64Array, k: number): void {
    out[k + TYPE_AT] = this.codes.get(i, TYPE);
    out[k + SIDE_AT] = this.codes.get(i, SIDE);
    out[k + TIME_AT] = this.times.get(i, AT);
    out[k + FRAME_AT] = this.frameOf(i);
    out[k + SEQ_AT] = this.words.get(i, SEQ);
    out[k + ACK_AT] = this.words.get(i, ACK);
    out[k + LEN_AT] = this.words.get(i, LEN);
    // Set only on a FIN or RST: others leave what the record's last user put there, never read.
    out[k + IDLE_AT] = this.times.get(i, IDLE);
    out[k + RST_AT] = this.codes.get(i, RST_BITS);
  }

  protected ensureColumns(i: number): number {
    this.times.ensure(i);
    this.words.ensure(i);
    return this.codes.ensure(i);
  }
}

/** The event EventRecords.copy wrote at `d[k]`, in the report's shape (field order included), `clientSide`
 * naming the roles. */
export function loggedEvent(d: Float64Array, k: number, clientSide: number): ConnEvent {
  const code = d[k + TYPE_AT];
  const type = EVENT_TYPES[code];
  const by: Role = d[k + SIDE_AT] === clientSide ? 'client' : 'server';
  const at = d[k + TIME_AT];
  const frame = d[k + FRAME_AT];
  const seq = d[k + SEQ_AT];
  const ack = d[k + ACK_AT];
  const len = d[k + LEN_AT];
  if (code === FIN) return { type, by, at, frame, seq, ack, len, idle_s: d[k + IDLE_AT] };
  if (code === RST) {
    const rst = d[k + RST_AT];
    return {
      type, by, at, frame, seq, ack, len,
      rst_with_ack: (rst & RST_WITH_ACK) !== 0, rst_seq_fit: RST_SEQ_FITS[rst & ~RST_WITH_ACK], idle_s: d[k + IDLE_AT],
    };
  }
  return { type, by, at, frame, seq, ack, len };
}
