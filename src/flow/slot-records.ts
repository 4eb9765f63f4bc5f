import { REPLAY_PAGE_BITS } from './id-pages';
import { RecordPages } from './record-pages';
import { SlotNumbers } from './slots';

/** One record's bytes seen as each kind of number, for setting what a fresh record holds. */
export interface RecordViews {
  f64: Float64Array;
  u32: Uint32Array;
  i32: Int32Array;
  u8: Uint8Array;
}

/** Records by slot, each record's numbers side by side (see RecordPages), for what is replayed only while
 * its connection is open: like Slots, a slot given back is taken again, reset, by a new connection. A
 * handle (see Side) keeps the views of its record's page and where the record starts in each. */
export class SlotRecords extends RecordPages {
  private readonly numbers = new SlotNumbers();
  /** What a fresh record holds, copied over a slot when it is taken. */
  private readonly fresh: Uint8Array;

  /** `fresh` sets what a fresh record holds, in views of a record of zeros. */
  constructor(recordBytes: number, fresh: (record: RecordViews) => void) {
    super(recordBytes);
    const buffer = new ArrayBuffer(recordBytes);
    this.fresh = new Uint8Array(buffer);
    fresh({ f64: new Float64Array(buffer, 0, recordBytes >>> 3), u32: new Uint32Array(buffer), i32: new Int32Array(buffer), u8: this.fresh });
  }

  /** Slots taken and not given back. */
  get taken(): number {
    return this.numbers.taken;
  }

  take(): number {
    const slot = this.numbers.take();
    this.ensure(slot);
    this.u8[slot >>> REPLAY_PAGE_BITS].set(this.fresh, this.byteAt(slot));
    return slot;
  }

  give(slot: number): void {
    this.numbers.give(slot);
  }

  /** The page of slot `slot`'s record as each kind of number, and where the record starts in its bytes. */
  f64Of(slot: number): Float64Array {
    return this.f64[slot >>> REPLAY_PAGE_BITS];
  }

  u32Of(slot: number): Uint32Array {
    return this.u32[slot >>> REPLAY_PAGE_BITS];
  }

  i32Of(slot: number): Int32Array {
    return this.i32[slot >>> REPLAY_PAGE_BITS];
  }

  u8Of(slot: number): Uint8Array {
    return this.u8[slot >>> REPLAY_PAGE_BITS];
  }

  bytesAt(slot: number): number {
    return this.byteAt(slot);
  }
}
