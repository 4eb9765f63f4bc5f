import type { IdPages } from './id-pages';

type Column = IdPages<Float64Array | Uint32Array | Int32Array | Uint8Array>;

/** Slots in columns of numbers, for what is replayed only while its connection is open: a slot is given
 * back when the connection is released and taken again, reset, by a new one, so the columns hold the
 * connections open at once. */
export class Slots {
  private readonly freed: number[] = [];
  private used = 0;

  /** Each column, with the value its numbers have in a fresh slot. */
  constructor(private readonly columns: readonly (readonly [Column, number])[]) {}

  take(): number {
    const slot = this.freed.pop() ?? this.used++;
    for (const [column, fresh] of this.columns) {
      column.ensure(slot);
      column.fill(slot, fresh);
    }
    return slot;
  }

  give(slot: number): void {
    this.freed.push(slot);
  }
}
