/** Numbers kept per id (a connection's, a log record's) in typed arrays. */
import { emptyArrayOf } from './empty-arrays';

/** Pages of the replay's columns: 4,096 slots or records, so that a small capture does not take
 * megabytes of columns up front. */
export const REPLAY_PAGE_BITS = 12;

/** A page of each kind for a handle (see Side) not yet moved to an id: empty, so that a read before the
 * move is undefined rather than another id's number. */
export const NO_PAGE = {
  float64: new Float64Array(0), uint32: new Uint32Array(0), int32: new Int32Array(0), uint8: new Uint8Array(0),
} as const;

/** `width` numbers per id, in typed arrays of 2^pageBits ids each (65,536 by default): growing copies
 * nothing and leaves at most one page unused (doubling one array instead left 290 MB of 730 unused on
 * 2.1 million connections, measured). Ids come in any order; `ensure` an id before setting it.
 *
 * One class per kind of array (Float64Pages and the others below), each with its own `get` and `set`:
 * V8 keeps what a load has seen per function (and shares it between classes one function makes), and
 * one `get` for all four kinds saw four, which it neither inlined nor compiled to a single load. Read,
 * decoded and replayed on one thread, 3 alternated pairs: bench (a) 3.48-3.60 against 3.70-3.80 s,
 * (e) 1.65-1.80 against 1.74-1.94 s. */
export abstract class IdPages<T extends Float64Array | Uint32Array | Int32Array | Uint8Array> {
  protected readonly pages: T[] = emptyArrayOf<T>(NO_PAGE.float64 as T);
  protected readonly mask: number;

  constructor(private readonly make: (length: number) => T, protected readonly width: number, protected readonly pageBits: number) {
    this.mask = (1 << pageBits) - 1;
  }

  abstract get(id: number, k?: number): number;
  abstract set(id: number, k: number, value: number): void;

  /** The page that holds id `id`'s numbers (its room ensured), and where they start in it: a handle that
   * reads and writes many numbers of one id looks the page up once. Pages are never replaced. */
  pageOf(id: number): T {
    return this.pages[id >>> this.pageBits];
  }

  offsetOf(id: number): number {
    return (id & this.mask) * this.width;
  }

  /** Sets every number of id `id` to `value`. A loop, not TypedArray.fill: for the few numbers of one id
   * the builtin's call costs more than the work (Slots.take, which fills a fresh slot of every column,
   * took 595 ms of bench (a)'s profile with it and 240 ms with the loop). */
  fill(id: number, value: number): void {
    const page = this.pages[id >>> this.pageBits];
    const from = (id & this.mask) * this.width;
    for (let i = from; i < from + this.width; i++) page[i] = value;
  }

  /** Room for id `id`; returns how many ids there is room for. */
  ensure(id: number): number {
    while (this.pages.length <= id >>> this.pageBits) this.pages.push(this.make((this.mask + 1) * this.width));
    return this.pages.length * (this.mask + 1);
  }
}

export class Float64Pages extends IdPages<Float64Array> {
  constructor(width = 1, pageBits = 16) {
    super((n) => new Float64Array(n), width, pageBits);
  }

  get(id: number, k = 0): number {
    return this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k];
  }

  set(id: number, k: number, value: number): void {
    this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k] = value;
  }
}

export class Uint32Pages extends IdPages<Uint32Array> {
  constructor(width = 1, pageBits = 16) {
    super((n) => new Uint32Array(n), width, pageBits);
  }

  get(id: number, k = 0): number {
    return this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k];
  }

  set(id: number, k: number, value: number): void {
    this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k] = value;
  }
}

export class Int32Pages extends IdPages<Int32Array> {
  constructor(width = 1, pageBits = 16) {
    super((n) => new Int32Array(n), width, pageBits);
  }

  get(id: number, k = 0): number {
    return this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k];
  }

  set(id: number, k: number, value: number): void {
    this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k] = value;
  }
}

export class Uint8Pages extends IdPages<Uint8Array> {
  constructor(width = 1, pageBits = 16) {
    super((n) => new Uint8Array(n), width, pageBits);
  }

  get(id: number, k = 0): number {
    return this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k];
  }

  set(id: number, k: number, value: number): void {
    this.pages[id >>> this.pageBits][(id & this.mask) * this.width + k] = value;
  }
}
