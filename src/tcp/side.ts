import type { AddressBytes } from '../flow/endpoint-key';
import { NO_PAGE } from '../flow/id-pages';
import { SlotRecords } from '../flow/slot-records';
import type { StateRecords } from './state-records';
import { tcpStateCode, tcpStateOf, type TcpState } from './tcp-state';

// A side's numbers in its record (see SideColumns), by type. Times, counts and frame numbers (which may
// pass 2^32):
const BYTES = 0;
const PAYLOAD_BYTES = 1;
const IP_BYTES = 2;
const FIRST_DATA_AT = 3;
const LAST_DATA_AT = 4;
const PACKETS = 5;
const FIRST_DATA_FRAME = 6;
const LAST_DATA_FRAME = 7;
const TIMES = 8;
// 32-bit sequence numbers, windows and lengths:
const ISN = 0;
const NEXT_SEQ = 1;
const LAST_ACK = 2;
const WINDOW = 3;
const FIN_SEQ = 4;
const LAST_DATA_SEQ = 5;
const LAST_DATA_ACK = 6;
const LAST_DATA_LEN = 7;
const FIRST_DATA_SEQ = 8;
const FIRST_DATA_ACK = 9;
const FIRST_DATA_LEN = 10;
const PORT = 11;
const WORDS = 12;
// Signed: -1 stands for none.
const STATES_HEAD = 0;
const STATES_TAIL = 1;
const WINDOW_SCALE = 2;
const LINKS = 3;
// Flag bits and the state's code (0: none yet).
const FLAGS = 0;
const STATE = 1;
const CODES = 2;
// Where each kind starts in the record, in bytes, and the record's length (a multiple of 8).
const TIMES_AT = 0;
const WORDS_AT = TIMES_AT + TIMES * 8;
const LINKS_AT = WORDS_AT + WORDS * 4;
const CODES_AT = LINKS_AT + LINKS * 4;
const SIDE_BYTES = (CODES_AT + CODES + 7) & ~7;

const SYN_SEEN = 1;
const NEXT_SEQ_SET = 2;
const ACK_SET = 4;
const FIN_SENT = 8;
const FIN_ACKED = 16;
const RST_SENT = 32;
const ZERO_WINDOW = 64;

/** The numbers of every side being replayed, by slot, in a record each (128 bytes, see SlotRecords): as
 * object fields they were boxed one by one (about 400 bytes a side), half a million connections can be
 * open at once, and in a column per kind of number a packet missed the cache four times a side where
 * now it misses twice. A slot is given back when its connection is released and taken again by a new one. */
export class SideColumns {
  readonly records = new SlotRecords(SIDE_BYTES, ({ i32 }) => i32.fill(-1, LINKS_AT >>> 2, (LINKS_AT >>> 2) + LINKS));

  /** A slot for a side on `port`, every other number zero, except those where -1 stands for none. */
  take(port: number): number {
    const records = this.records;
    const slot = records.take();
    records.u32Of(slot)[((records.bytesAt(slot) + WORDS_AT) >>> 2) + PORT] = port;
    return slot;
  }

  give(slot: number): void {
    this.records.give(slot);
  }
}

/** What one side of a connection has shown on the wire so far, read and written in place in its slot of
 * SideColumns. Valid until its connection is released. A handle is not kept per side: the connection
 * being updated moves two handles to its sides, and a connection read whole two others (see ReplayLog).
 * A handle holds its record's page seen as each kind of number and where the record's numbers of each
 * kind start in it: a packet reads and writes some twenty numbers of its sides, and each looked up its
 * page through the columns before. */
export class Side {
  private index = -1;
  private address: AddressBytes = '';
  private times: Float64Array = NO_PAGE.float64;
  private timesAt = 0;
  private words: Uint32Array = NO_PAGE.uint32;
  private wordsAt = 0;
  private links: Int32Array = NO_PAGE.int32;
  private linksAt = 0;
  private codes: Uint8Array = NO_PAGE.uint8;
  private codesAt = 0;

  /** A handle to move to a side (see moveTo). */
  constructor(private readonly cols: SideColumns) {}

  /** Points the handle at the side in slot `slot` (taken), whose address is `addr`. */
  moveTo(slot: number, addr: AddressBytes): this {
    const records = this.cols.records;
    const at = records.bytesAt(slot);
    this.index = slot;
    // References stored only when they change: each store of one into this long-lived handle passes V8's
    // write barrier, and the sides of consecutive packets mostly lie in the same page.
    if (this.address !== addr) this.address = addr;
    const codes = records.u8Of(slot);
    if (codes !== this.codes) {
      this.codes = codes;
      this.times = records.f64Of(slot);
      this.words = records.u32Of(slot);
      this.links = records.i32Of(slot);
    }
    this.timesAt = (at + TIMES_AT) >>> 3;
    this.wordsAt = (at + WORDS_AT) >>> 2;
    this.linksAt = (at + LINKS_AT) >>> 2;
    this.codesAt = at + CODES_AT;
    return this;
  }

  get slot(): number { return this.index; }
  get addr(): AddressBytes { return this.address; }
  get port(): number { return this.words[this.wordsAt + PORT]; }

  get packets(): number { return this.times[this.timesAt + PACKETS]; }
  set packets(v: number) { this.times[this.timesAt + PACKETS] = v; }
  /** Frame bytes on the wire (as tshark's conversation table counts them). */
  get bytes(): number { return this.times[this.timesAt + BYTES]; }
  set bytes(v: number) { this.times[this.timesAt + BYTES] = v; }
  get payloadBytes(): number { return this.times[this.timesAt + PAYLOAD_BYTES]; }
  set payloadBytes(v: number) { this.times[this.timesAt + PAYLOAD_BYTES] = v; }
  get ipBytes(): number { return this.times[this.timesAt + IP_BYTES]; }
  set ipBytes(v: number) { this.times[this.timesAt + IP_BYTES] = v; }
  /** Set once the side is seen sending a SYN or SYN-ACK. */
  get synSeen(): boolean { return this.flag(SYN_SEEN); }
  set synSeen(v: boolean) { this.setFlag(SYN_SEEN, v); }
  get isn(): number { return this.words[this.wordsAt + ISN]; }
  set isn(v: number) { this.words[this.wordsAt + ISN] = v; }
  /** Highest seq + len sent (next sequence number expected by the peer). */
  get nextSeq(): number { return this.words[this.wordsAt + NEXT_SEQ]; }
  set nextSeq(v: number) { this.words[this.wordsAt + NEXT_SEQ] = v; }
  get nextSeqSet(): boolean { return this.flag(NEXT_SEQ_SET); }
  set nextSeqSet(v: boolean) { this.setFlag(NEXT_SEQ_SET, v); }
  /** Last acknowledgement number and raw window this side advertised. */
  get lastAck(): number { return this.words[this.wordsAt + LAST_ACK]; }
  set lastAck(v: number) { this.words[this.wordsAt + LAST_ACK] = v; }
  get ackSet(): boolean { return this.flag(ACK_SET); }
  set ackSet(v: boolean) { this.setFlag(ACK_SET, v); }
  get window(): number { return this.words[this.wordsAt + WINDOW]; }
  set window(v: number) { this.words[this.wordsAt + WINDOW] = v; }
  /** -1 until a SYN carries the option. */
  get windowScale(): number { return this.links[this.linksAt + WINDOW_SCALE]; }
  set windowScale(v: number) { this.links[this.linksAt + WINDOW_SCALE] = v; }
  get finSent(): boolean { return this.flag(FIN_SENT); }
  set finSent(v: boolean) { this.setFlag(FIN_SENT, v); }
  /** Sequence number of the FIN (after any payload riding on it). */
  get finSeq(): number { return this.words[this.wordsAt + FIN_SEQ]; }
  set finSeq(v: number) { this.words[this.wordsAt + FIN_SEQ] = v; }
  get finAcked(): boolean { return this.flag(FIN_ACKED); }
  set finAcked(v: boolean) { this.setFlag(FIN_ACKED, v); }
  get rstSent(): boolean { return this.flag(RST_SENT); }
  set rstSent(v: boolean) { this.setFlag(RST_SENT, v); }
  get zeroWindow(): boolean { return this.flag(ZERO_WINDOW); }
  set zeroWindow(v: boolean) { this.setFlag(ZERO_WINDOW, v); }
  /** 0 until the side sends payload. */
  get firstDataFrame(): number { return this.times[this.timesAt + FIRST_DATA_FRAME]; }
  set firstDataFrame(v: number) { this.times[this.timesAt + FIRST_DATA_FRAME] = v; }
  get firstDataAt(): number { return this.times[this.timesAt + FIRST_DATA_AT]; }
  set firstDataAt(v: number) { this.times[this.timesAt + FIRST_DATA_AT] = v; }
  /** The first payload's segment: its report event is made from these (see lastDataFrame). */
  get firstDataSeq(): number { return this.words[this.wordsAt + FIRST_DATA_SEQ]; }
  set firstDataSeq(v: number) { this.words[this.wordsAt + FIRST_DATA_SEQ] = v; }
  get firstDataAck(): number { return this.words[this.wordsAt + FIRST_DATA_ACK]; }
  set firstDataAck(v: number) { this.words[this.wordsAt + FIRST_DATA_ACK] = v; }
  get firstDataLen(): number { return this.words[this.wordsAt + FIRST_DATA_LEN]; }
  set firstDataLen(v: number) { this.words[this.wordsAt + FIRST_DATA_LEN] = v; }
  /** The last payload: its report event is made from these when the connection is over. */
  get lastDataFrame(): number { return this.times[this.timesAt + LAST_DATA_FRAME]; }
  set lastDataFrame(v: number) { this.times[this.timesAt + LAST_DATA_FRAME] = v; }
  get lastDataAt(): number { return this.times[this.timesAt + LAST_DATA_AT]; }
  set lastDataAt(v: number) { this.times[this.timesAt + LAST_DATA_AT] = v; }
  get lastDataSeq(): number { return this.words[this.wordsAt + LAST_DATA_SEQ]; }
  set lastDataSeq(v: number) { this.words[this.wordsAt + LAST_DATA_SEQ] = v; }
  get lastDataAck(): number { return this.words[this.wordsAt + LAST_DATA_ACK]; }
  set lastDataAck(v: number) { this.words[this.wordsAt + LAST_DATA_ACK] = v; }
  get lastDataLen(): number { return this.words[this.wordsAt + LAST_DATA_LEN]; }
  set lastDataLen(v: number) { this.words[this.wordsAt + LAST_DATA_LEN] = v; }
  get state(): TcpState | null { return tcpStateOf(this.codes[this.codesAt + STATE]); }
  set state(v: TcpState | null) { this.codes[this.codesAt + STATE] = tcpStateCode(v); }
  /** The side's state changes: a chain in StateRecords (-1: none yet). */
  get statesHead(): number { return this.links[this.linksAt + STATES_HEAD]; }
  set statesHead(v: number) { this.links[this.linksAt + STATES_HEAD] = v; }
  get statesTail(): number { return this.links[this.linksAt + STATES_TAIL]; }
  set statesTail(v: number) { this.links[this.linksAt + STATES_TAIL] = v; }

  /** Gives the slot back for a side still to come: the side is not read afterwards. */
  release(): void {
    this.cols.give(this.slot);
  }

  private flag(bit: number): boolean {
    return (this.codes[this.codesAt + FLAGS] & bit) !== 0;
  }

  private setFlag(bit: number, on: boolean): void {
    const flags = this.codes[this.codesAt + FLAGS];
    this.codes[this.codesAt + FLAGS] = on ? flags | bit : flags & ~bit;
  }
}

export function enterState(
  side: Side, states: StateRecords, state: TcpState | null, at: number, frame: number, inferred = false,
): void {
  if (state === null || state === side.state) return;
  side.state = state;
  side.statesTail = states.append(side.statesTail, state, at, frame, inferred);
  if (side.statesHead < 0) side.statesHead = side.statesTail;
}
