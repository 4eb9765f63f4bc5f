import type { GapBlocks, GapState } from './gap-tracker';
import { LogScaleCounter } from './history';
import { fullSeq, seqAdd, seqDiff } from '../../flow/seq';
import { NO_PAGE } from '../../flow/id-pages';
import { SlotRecords } from '../../flow/slot-records';

/** Zeek's per-endpoint TCP states (TCP_Endpoint.h); `ZEEK_STATE_CODE` gives the numbers Zeek prints. */
export type ZeekEndpointState =
  | 'INACTIVE'
  | 'SYN_SENT'
  | 'SYN_ACK_SENT'
  | 'PARTIAL'
  | 'ESTABLISHED'
  | 'CLOSED'
  | 'RESET';

export const ZEEK_STATE_CODE: Readonly<Record<ZeekEndpointState, number>> = {
  INACTIVE: 0, SYN_SENT: 1, SYN_ACK_SENT: 2, PARTIAL: 3, ESTABLISHED: 4, CLOSED: 5, RESET: 6,
};

/** ZEEK_STATE_CODE turned around: the state of each code. */
const STATES = Object.entries(ZEEK_STATE_CODE).sort((a, b) => a[1] - b[1]).map(([state]) => state as ZeekEndpointState);

// An endpoint's numbers in its record (see ZeekEndpointColumns), by type. Relative sequence numbers (may be negative or
// past 2^32):
const FIN_SEQ = 0;
const HIST_LAST_SYN = 1;
const HIST_LAST_FIN = 2;
const HIST_LAST_RST = 3;
const GAP_DELIVERED = 4;
const GAP_TRIMMED = 5;
const RELATIVE = 6;
// Raw 32-bit sequence numbers and counts:
const START_SEQ = 0;
const LAST_SEQ = 1;
const ACK_SEQ = 2;
const SEQ_WRAPS = 3;
const ACK_WRAPS = 4;
const FIN_COUNT = 5;
const WORDS = 6;
// Codes: ZEEK_STATE_CODE of the state and the previous state, whether it closed, whether reassembly gave
// up, whether it has RareCounts:
const STATE = 0;
const PREV_STATE = 1;
const DID_CLOSE = 2;
const GAP_SKIPPING = 3;
const HAS_RARE = 4;
const CODES = 5;
// Where each kind starts in the record, in bytes, and the record's length (a multiple of 8).
const RELATIVE_AT = 0;
const WORDS_AT = RELATIVE_AT + RELATIVE * 8;
const CODES_AT = WORDS_AT + WORDS * 4;
const ENDPOINT_BYTES = (CODES_AT + CODES + 7) & ~7;

/** What few endpoints need, made on the first retransmission, zero window, content gap or out-of-order
 * block: most connections have none. */
class RareCounts {
  retransmits: LogScaleCounter | null = null;
  zeroWindows: LogScaleCounter | null = null;
  contentGaps: LogScaleCounter | null = null;
  blocks: GapBlocks | null = null;
}

/** One side of a connection as Zeek tracks it, read and written in its slot of ZeekEndpointColumns: a
 * handle, moved to the slot of the endpoint at hand (see ZeekEndpointColumns.handles). Sequence fields are
 * raw 32-bit values plus wrap counts. */
export class ZeekEndpoint implements GapState {
  private slot = -1;
  /** Its record's page seen as each kind of number, and where the record's numbers of each kind start in
   * it (see Side). */
  private relative: Float64Array = NO_PAGE.float64;
  private relativeAt = 0;
  private words: Uint32Array = NO_PAGE.uint32;
  private wordsAt = 0;
  private codes: Uint8Array = NO_PAGE.uint8;
  private codesAt = 0;

  constructor(readonly cols: ZeekEndpointColumns) {}

  /** Makes this handle the endpoint in `slot`. */
  moveTo(slot: number): this {
    const records = this.cols.records;
    this.slot = slot;
    const at = records.bytesAt(slot);
    // The page's views stored only when the page changes (see Side.moveTo).
    const codes = records.u8Of(slot);
    if (codes !== this.codes) {
      this.codes = codes;
      this.relative = records.f64Of(slot);
      this.words = records.u32Of(slot);
    }
    this.relativeAt = (at + RELATIVE_AT) >>> 3;
    this.wordsAt = (at + WORDS_AT) >>> 2;
    this.codesAt = at + CODES_AT;
    return this;
  }

  get state(): ZeekEndpointState { return STATES[this.codes[this.codesAt + STATE]]; }
  get prevState(): ZeekEndpointState { return STATES[this.codes[this.codesAt + PREV_STATE]]; }
  /** ISN (or the guess for a partial connection); kept in [0, 2^32). */
  get startSeq(): number { return this.words[this.wordsAt + START_SEQ]; }
  /** One past the highest sequence number sent. */
  get lastSeq(): number { return this.words[this.wordsAt + LAST_SEQ]; }
  /** Highest acknowledgement of this endpoint's data sent by the peer. */
  get ackSeq(): number { return this.words[this.wordsAt + ACK_SEQ]; }
  get seqWraps(): number { return this.words[this.wordsAt + SEQ_WRAPS]; }
  get ackWraps(): number { return this.words[this.wordsAt + ACK_WRAPS]; }
  get finCount(): number { return this.words[this.wordsAt + FIN_COUNT]; }
  set finCount(v: number) { this.words[this.wordsAt + FIN_COUNT] = v; }
  /** Relative sequence number just past this endpoint's FIN. */
  get finSeq(): number { return this.relative[this.relativeAt + FIN_SEQ]; }
  set finSeq(v: number) { this.relative[this.relativeAt + FIN_SEQ] = v; }
  /** Zeek reported this side as closed (ConnectionClosed ran for it). */
  get didClose(): boolean { return this.codes[this.codesAt + DID_CLOSE] !== 0; }
  set didClose(v: boolean) { this.codes[this.codesAt + DID_CLOSE] = v ? 1 : 0; }
  /** Relative seqs of the last SYN, FIN and RST: a repeat adds a history letter only when these change. */
  get histLastSyn(): number { return this.relative[this.relativeAt + HIST_LAST_SYN]; }
  set histLastSyn(v: number) { this.relative[this.relativeAt + HIST_LAST_SYN] = v; }
  get histLastFin(): number { return this.relative[this.relativeAt + HIST_LAST_FIN]; }
  set histLastFin(v: number) { this.relative[this.relativeAt + HIST_LAST_FIN] = v; }
  get histLastRst(): number { return this.relative[this.relativeAt + HIST_LAST_RST]; }
  set histLastRst(v: number) { this.relative[this.relativeAt + HIST_LAST_RST] = v; }

  /** Retransmissions (T), zero windows (W) and content gaps (G), each on Zeek's log scale. */
  get retransmits(): LogScaleCounter | null { return this.rare()?.retransmits ?? null; }
  set retransmits(v: LogScaleCounter | null) { this.ownRare().retransmits = v; }
  get zeroWindows(): LogScaleCounter | null { return this.rare()?.zeroWindows ?? null; }
  set zeroWindows(v: LogScaleCounter | null) { this.ownRare().zeroWindows = v; }
  get contentGaps(): LogScaleCounter | null { return this.rare()?.contentGaps ?? null; }
  set contentGaps(v: LogScaleCounter | null) { this.ownRare().contentGaps = v; }
  /** What Zeek's reassembler knows of this side's data (see GapState). */
  get blocks(): GapBlocks | null { return this.rare()?.blocks ?? null; }
  set blocks(v: GapBlocks | null) { this.ownRare().blocks = v; }
  get delivered(): number { return this.relative[this.relativeAt + GAP_DELIVERED]; }
  set delivered(v: number) { this.relative[this.relativeAt + GAP_DELIVERED] = v; }
  get trimmed(): number { return this.relative[this.relativeAt + GAP_TRIMMED]; }
  set trimmed(v: number) { this.relative[this.relativeAt + GAP_TRIMMED] = v; }
  get skipping(): boolean { return this.codes[this.codesAt + GAP_SKIPPING] !== 0; }
  set skipping(v: boolean) { this.codes[this.codesAt + GAP_SKIPPING] = v ? 1 : 0; }

  private rare(): RareCounts | undefined {
    return this.codes[this.codesAt + HAS_RARE] === 0 ? undefined : this.cols.rare.get(this.slot);
  }

  private ownRare(): RareCounts {
    let rare = this.rare();
    if (rare === undefined) {
      rare = new RareCounts();
      this.cols.rare.set(this.slot, rare);
      this.codes[this.codesAt + HAS_RARE] = 1;
    }
    return rare;
  }

  setState(next: ZeekEndpointState): void {
    const state = this.codes[this.codesAt + STATE];
    const code = ZEEK_STATE_CODE[next];
    if (code === state) return;
    this.codes[this.codesAt + PREV_STATE] = state;
    this.codes[this.codesAt + STATE] = code;
  }

  /** Restart the sequence space at `start` (a SYN, or a guessed ISN). */
  initSeqs(start: number, last: number): void {
    this.words[this.wordsAt + START_SEQ] = seqAdd(start, 0);
    this.words[this.wordsAt + ACK_SEQ] = seqAdd(start, 0);
    this.words[this.wordsAt + LAST_SEQ] = seqAdd(last, 0);
  }

  /** `seq`: a raw 32-bit sequence number. */
  updateLastSeq(seq: number): void {
    if (seq < this.lastSeq) this.words[this.wordsAt + SEQ_WRAPS] = this.seqWraps + 1;
    this.words[this.wordsAt + LAST_SEQ] = seq;
  }

  updateAckSeq(seq: number): void {
    if (seq < this.ackSeq) this.words[this.wordsAt + ACK_WRAPS] = this.ackWraps + 1;
    this.words[this.wordsAt + ACK_SEQ] = seq;
  }

  /**
   * Zeek's get_relative_seq: `cur` relative to the ISN, its wrap count guessed from the neighbour `last`.
   * Negative means before the ISN (Zeek's "underflow").
   */
  relativeSeq(cur: number, last: number, wraps: number): number {
    const delta = seqDiff(last, cur);
    if (delta < 0 && wraps > 0 && cur > last) wraps--;
    else if (delta > 0 && cur < last) wraps++;
    if (wraps === 0) return seqDiff(this.startSeq, cur);
    return fullSeq(cur, wraps) - this.startSeq;
  }

  /** How far the peer has acked this side's data, relative to the ISN. */
  ackedRelative(): number {
    return fullSeq(this.ackSeq, this.ackWraps) - this.startSeq;
  }

  /** None of this side's data acked (one octet allowed for the SYN). */
  noDataAcked(): boolean {
    const acked = this.ackedRelative();
    return acked === 0 || acked === 1;
  }

  /** Payload bytes as Zeek's orig_bytes/resp_bytes: highest seq or ack seen, less the ISN, SYN and FIN. */
  size(peer: ZeekEndpoint): number {
    if (this.prevState === 'SYN_SENT' && this.state === 'RESET' && peer.state === 'INACTIVE' && !this.noDataAcked()) {
      // A half-open connection found and aborted: its numbers say nothing about data.
      return 0;
    }
    const last = fullSeq(this.lastSeq, this.seqWraps);
    const ack = fullSeq(this.ackSeq, this.ackWraps);
    let size = (last > ack ? last : ack) - this.startSeq;
    if (size !== 0) size--;
    if (this.finCount > 0 && size !== 0) size--;
    // Zeek keeps this in a uint64: a negative result wraps.
    return size >= 0 ? size : Number(BigInt.asUintN(64, BigInt(size)));
  }
}

/** The numbers of every Zeek endpoint being replayed, by slot, in a record each (80 bytes, see
 * SideColumns), and the handles that read and write them: no object per endpoint (half a million
 * connections can be open at once, two endpoints each, some 80 bytes of object each). */
export class ZeekEndpointColumns {
  readonly records = new SlotRecords(ENDPOINT_BYTES, ({ f64 }) => {
    f64[(RELATIVE_AT >>> 3) + GAP_DELIVERED] = 1;
    f64[(RELATIVE_AT >>> 3) + GAP_TRIMMED] = 1;
  });
  /** By slot, for the endpoints whose HAS_RARE code is set. */
  readonly rare = new Map<number, RareCounts>();
  /** A tracker moves these to its two endpoints whenever it is asked something (see ZeekConnTracker). */
  readonly handles: readonly [ZeekEndpoint, ZeekEndpoint] = [new ZeekEndpoint(this), new ZeekEndpoint(this)];

  /** A slot for an endpoint that has seen nothing: INACTIVE. */
  take(): number {
    return this.records.take();
  }

  give(slot: number): void {
    const records = this.records;
    if (records.u8Of(slot)[records.bytesAt(slot) + CODES_AT + HAS_RARE] !== 0) this.rare.delete(slot);
    records.give(slot);
  }
}
