import { IdPages, REPLAY_PAGE_BITS } from '../flow/id-pages';

/** Fixed-size records in typed columns, chained per owner: what a connection logs while it is replayed,
 * without an object per record. A chain is a list of record indexes linked by `next`; freeing a chain
 * gives its records to the next connections. Columns are pages (see IdPages) added as needed and kept:
 * they hold what the connections open at once have logged, without the copies and the unused half that
 * doubling one array leaves. */
export abstract class RecordChains {
  private readonly next = new IdPages((n) => new Int32Array(n), 1, REPLAY_PAGE_BITS);
  private freeHead = -1;
  private used = 0;
  private room = 0;

  /** The record after `i`, or -1. */
  nextOf(i: number): number {
    return this.next.get(i);
  }

  /** Frees the chain `head`…`tail` (nothing when head is -1). */
  free(head: number, tail: number): void {
    if (head < 0) return;
    this.next.set(tail, 0, this.freeHead);
    this.freeHead = head;
  }

  /** A new record after `tail` (-1: the first of a chain); its columns hold old values until set. */
  protected appendAfter(tail: number): number {
    let i = this.freeHead;
    if (i >= 0) {
      this.freeHead = this.next.get(i);
    } else {
      i = this.used++;
      if (i >= this.room) {
        this.next.ensure(i);
        this.room = this.ensureColumns(i);
      }
    }
    this.next.set(i, 0, -1);
    if (tail >= 0) this.next.set(tail, 0, i);
    return i;
  }

  /** Subclasses make room for record `i` in their columns; returns how many records there is room for. */
  protected abstract ensureColumns(i: number): number;
}

/** Frame numbers in records are kept in 40 bits, the low 32 in a Uint32 column and the rest in a Uint8 one:
 * a Float64 took 3 bytes more a record, and half a million connections log millions of records. 2^40 frames
 * is more than any capture or set of captures holds. */
export function frameHigh(frame: number): number {
  const high = Math.floor(frame / 2 ** 32);
  if (high > 0xff) throw new RangeError(`frame ${frame} is beyond the 2^40 frames a replay can number`);
  return high;
}

/** The frame number kept as `low` and `high` (see frameHigh). */
export function frameNumber(low: number, high: number): number {
  return high * 2 ** 32 + low;
}
