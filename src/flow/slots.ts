import { IdPages, Int32Pages, REPLAY_PAGE_BITS } from './id-pages';

type Column = IdPages<Float64Array | Uint32Array | Int32Array | Uint8Array>;

/** Slot numbers: one given back is handed out again before a new one, so the slots in use are about as
 * many as the connections open at once. */
export class SlotNumbers {
  /** Slots given back, a stack in pages: as a JS array it grew by copying to a million slots when every
   * connection open at the end of a capture was released. */
  private readonly freed = new Int32Pages(1, REPLAY_PAGE_BITS);
  private freedCount = 0;
  private used = 0;

  /** Slots taken and not given back. */
  get taken(): number {
    return this.used - this.freedCount;
  }

  take(): number {
    return this.freedCount > 0 ? this.freed.get(--this.freedCount) : this.used++;
  }

  give(slot: number): void {
    this.freed.ensure(this.freedCount);
    this.freed.set(this.freedCount++, 0, slot);
  }
}

/** Slots in columns of numbers, for what is replayed only while its connection is open: a slot is given
 * back when the connection is released and taken again, reset, by a new one, so the columns hold the
 * connections open at once. */
export class Slots {
  private readonly numbers = new SlotNumbers();

  /** Each column, with the value its numbers have in a fresh slot. */
  constructor(private readonly columns: readonly (readonly [Column, number])[]) {}

  /** Slots taken and not given back. */
  get taken(): number {
    return this.numbers.taken;
  }

  take(): number {
    const slot = this.numbers.take();
    for (const [column, fresh] of this.columns) {
      column.ensure(slot);
      column.fill(slot, fresh);
    }
    return slot;
  }

  give(slot: number): void {
    this.numbers.give(slot);
  }
}
