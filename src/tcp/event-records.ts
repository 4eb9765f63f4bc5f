import { CONN_EVENT_TYPES, RST_SEQ_FITS, type ConnEvent, type ConnEventType, type Role, type RstSeqFit } from './events';
import { REPLAY_PAGE_BITS } from '../flow/id-pages';
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

// An event record's fields (40 bytes, see RecordChains): doubles,
const AT = 0;
/** FIN and RST only: idle_s. */
const IDLE = 1;
// 32-bit words: sequence numbers, the length, the low 32 bits of the frame number (see frameHigh),
const SEQ = 4;
const ACK = 5;
const LEN = 6;
const FRAME_LOW = 7;
const NEXT = 8;
// and bytes:
const TYPE = 36;
const SIDE = 37;
/** RST only: RST_WITH_ACK | the code of its rst_seq_fit. */
const RST_BITS = 38;
const FRAME_HIGH = 39;
const RECORD_BYTES = 40;

/** The events of every connection being replayed (see ConnEvent), by side (0/1) rather than role: a role
 * flip then changes nothing logged. Made into ConnEvent objects only for the report view. */
export class EventRecords extends RecordChains {
  constructor() {
    super(RECORD_BYTES, NEXT);
  }

  /** Logs an event after `tail` (-1: the connection's first); returns its index. */
  append(tail: number, type: LoggedEventType, side: 0 | 1, at: number, frame: number, seq: number, ack: number, len: number): number {
    const i = this.appendAfter(tail);
    const page = i >>> REPLAY_PAGE_BITS;
    const b = this.byteAt(i);
    const bytes = this.u8[page];
    bytes[b + TYPE] = TYPE_CODE.get(type) ?? 0;
    bytes[b + SIDE] = side;
    bytes[b + FRAME_HIGH] = frameHigh(frame);
    this.f64[page][this.f64At(i) + AT] = at;
    const words = this.u32[page];
    const w = this.wordAt(i);
    words[w + FRAME_LOW] = frame >>> 0;
    words[w + SEQ] = seq;
    words[w + ACK] = ack;
    words[w + LEN] = len;
    return i;
  }

  /** Sets what only a FIN or RST carries on event `i`. */
  setClose(i: number, idleS: number, rstWithAck = false, rstSeqFit: RstSeqFit = 'unknown'): void {
    const page = i >>> REPLAY_PAGE_BITS;
    this.f64[page][this.f64At(i) + IDLE] = idleS;
    this.u8[page][this.byteAt(i) + RST_BITS] = (rstWithAck ? RST_WITH_ACK : 0) | (FIT_CODE.get(rstSeqFit) ?? 0);
  }

  /** Writes event `i`'s numbers (EVENT_NUMBERS of them) to `out` from `k`: what loggedEvent reads back. */
  copy(i: number, out: Float64Array, k: number): void {
    const page = i >>> REPLAY_PAGE_BITS;
    const bytes = this.u8[page];
    const b = this.byteAt(i);
    const words = this.u32[page];
    const w = this.wordAt(i);
    const doubles = this.f64[page];
    const d = this.f64At(i);
    out[k + TYPE_AT] = bytes[b + TYPE];
    out[k + SIDE_AT] = bytes[b + SIDE];
    out[k + TIME_AT] = doubles[d + AT];
    out[k + FRAME_AT] = frameNumber(words[w + FRAME_LOW], bytes[b + FRAME_HIGH]);
    out[k + SEQ_AT] = words[w + SEQ];
    out[k + ACK_AT] = words[w + ACK];
    out[k + LEN_AT] = words[w + LEN];
    // Set only on a FIN or RST: others leave what the record's last user put there, never read.
    out[k + IDLE_AT] = doubles[d + IDLE];
    out[k + RST_AT] = bytes[b + RST_BITS];
  }
}

/** The event EventRecords.copy wrote at `d[k]`, in the report's shape (field order included), `clientSide`
 * naming the roles. */
export function loggedEvent(d: Float64Array, k: number, clientSide: number): ConnEvent {
  const code = d[k + TYPE_AT];
  const rst = code === RST ? d[k + RST_AT] : 0;
  return eventOf(
    EVENT_TYPES[code], d[k + SIDE_AT] === clientSide ? 'client' : 'server', d[k + TIME_AT], d[k + FRAME_AT], d[k + SEQ_AT], d[k + ACK_AT], d[k + LEN_AT],
    code === RST ? (rst & RST_WITH_ACK) !== 0 : undefined, code === RST ? RST_SEQ_FITS[rst & ~RST_WITH_ACK] : undefined,
    code === FIN || code === RST ? d[k + IDLE_AT] : undefined,
  );
}

/** An event of the report's view. Every event is made here, with every field (undefined where it does not
 * apply, which the JSON leaves out as it did when the field was absent), so that all have one shape: the
 * detectors' loops over event logs saw a FIN's or an RST's shape only after V8 had optimised them for the
 * others', and were thrown away and compiled again (5 or 6 of the 90-100 deoptimisations of a run of bench (a)). */
export function eventOf(
  type: ConnEventType, by: Role, at: number, frame: number, seq: number, ack: number, len: number,
  rstWithAck: boolean | undefined, rstSeqFit: RstSeqFit | undefined, idleS: number | undefined,
): ConnEvent {
  return { type, by, at, frame, seq, ack, len, rst_with_ack: rstWithAck, rst_seq_fit: rstSeqFit, idle_s: idleS };
}
