/** Fixed-size records in typed columns, chained per owner: what a connection logs while it is replayed,
 * without an object per record. A chain is a list of record indexes linked by `next`; freeing a chain
 * gives its records to the next connections. Columns double when full and never shrink: they hold what
 * the connections open at once have logged. */
export abstract class RecordChains {
  private next: Int32Array;
  private freeHead = -1;
  private used = 0;

  constructor(protected capacity: number) {
    this.next = new Int32Array(capacity);
  }

  /** The record after `i`, or -1. */
  nextOf(i: number): number {
    return this.next[i];
  }

  /** Frees the chain `head`…`tail` (nothing when head is -1). */
  free(head: number, tail: number): void {
    if (head < 0) return;
    this.next[tail] = this.freeHead;
    this.freeHead = head;
  }

  /** A new record after `tail` (-1: the first of a chain); its columns hold old values until set. */
  protected appendAfter(tail: number): number {
    let i = this.freeHead;
    if (i >= 0) {
      this.freeHead = this.next[i];
    } else {
      if (this.used === this.capacity) this.growTo(this.capacity * 2);
      i = this.used++;
    }
    this.next[i] = -1;
    if (tail >= 0) this.next[tail] = i;
    return i;
  }

  /** Subclasses copy their columns into ones of `capacity` records. */
  protected abstract resizeColumns(capacity: number): void;

  private growTo(capacity: number): void {
    this.next = grown(this.next, capacity);
    this.resizeColumns(capacity);
    this.capacity = capacity;
  }
}

/** `column` copied into a new one of `length` elements. */
export function grown<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(column: T, length: number): T {
  const bigger = new (column.constructor as new (length: number) => T)(length);
  bigger.set(column);
  return bigger;
}
