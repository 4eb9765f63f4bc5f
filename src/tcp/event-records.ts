import { CONN_EVENT_TYPES, RST_SEQ_FITS, type ConnEvent, type ConnEventType, type Role, type RstSeqFit } from './events';
import { REPLAY_PAGE_BITS } from '../flow/id-pages';
import { frameHigh, frameNumber, RecordChains, type RecordMemory } from './record-chains';

/** The events logged as records: a side's first and last payload are kept by the side (see Side). */
export type LoggedEventType = Exclude<ConnEventType, 'first-data' | 'last-data'>;

const EVENT_TYPES = CONN_EVENT_TYPES.filter((type): type is LoggedEventType => type !== 'first-data' && type !== 'last-data');
const TYPE_CODE = new Map(EVENT_TYPES.map((type, code) => [type, code]));
const FIN = TYPE_CODE.get('fin');
const RST = TYPE_CODE.get('rst');
const FIT_CODE = new Map(RST_SEQ_FITS.map((fit, code) => [fit, code]));
const RST_WITH_ACK = 0x80;

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
/** Bytes an event takes, in the replay and in a connection's record (see RecordChains.copyRecord). */
export const EVENT_RECORD_BYTES = 40;

/** The events of every connection being replayed (see ConnEvent), by side (0/1) rather than role: a role
 * flip then changes nothing logged. Made into ConnEvent objects only for the report view. */
export class EventRecords extends RecordChains {
  constructor() {
    super(EVENT_RECORD_BYTES, NEXT);
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
}

/** The event whose record (see copyRecord) is at byte `at` of `m`, in the report's shape (field order
 * included), `clientSide` naming the roles. */
export function loggedEvent(m: RecordMemory, at: number, clientSide: number): ConnEvent {
  const bytes = m.u8;
  const w = at >>> 2;
  const d = at >>> 3;
  const code = bytes[at + TYPE];
  // Set only on a FIN or RST: others hold what the record's last user put there.
  const rst = code === RST ? bytes[at + RST_BITS] : 0;
  const close = code === FIN || code === RST;
  return eventOf(
    EVENT_TYPES[code], bytes[at + SIDE] === clientSide ? 'client' : 'server', m.f64[d + AT], frameNumber(m.u32[w + FRAME_LOW], bytes[at + FRAME_HIGH]),
    m.u32[w + SEQ], m.u32[w + ACK], m.u32[w + LEN],
    code === RST ? (rst & RST_WITH_ACK) !== 0 : undefined, code === RST ? RST_SEQ_FITS[rst & ~RST_WITH_ACK] : undefined, close ? m.f64[d + IDLE] : undefined,
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
