import { REPLAY_PAGE_BITS } from '../flow/id-pages';

const PAGE_RECORDS = 1 << REPLAY_PAGE_BITS;
const PAGE_MASK = PAGE_RECORDS - 1;

/** Fixed-size records, chained per owner: what a connection logs while it is replayed, without an object
 * per record. A chain is a list of record indexes linked by `next`; freeing a chain gives its records to
 * the next connections, so after some minutes of capture a chain's records lie anywhere in the pages.
 * Each record's numbers are therefore side by side in one buffer (`recordBytes` apart), read through a
 * view of each kind: walking a chain misses the cache once a record rather than once per column (a
 * column per field: on bench (c)'s 45 minutes, walking the chains to write each connection's record was
 * nearly a fifth of the replay). Pages (see IdPages) are added as needed and kept: they hold what the
 * connections open at once have logged. */
export abstract class RecordChains {
  // The same pages seen as each kind of number: subclasses read field `k` of record `i` as, e.g.,
  // f64[i >>> REPLAY_PAGE_BITS][((i & PAGE_MASK) * recordBytes >>> 3) + k] (see f64At and the others).
  protected readonly f64: Float64Array[] = [];
  protected readonly u32: Uint32Array[] = [];
  protected readonly u8: Uint8Array[] = [];
  private readonly i32: Int32Array[] = [];
  private freeHead = -1;
  private used = 0;

  /** `recordBytes`: a multiple of 4, and of 8 where the record keeps doubles in `f64` (they must be
   * aligned); `nextWord`: which 32-bit word of the record holds `next`. */
  constructor(private readonly recordBytes: number, private readonly nextWord: number) {}

  /** The record after `i`, or -1. */
  nextOf(i: number): number {
    return this.i32[i >>> REPLAY_PAGE_BITS][this.wordAt(i) + this.nextWord];
  }

  /** Frees the chain `head`…`tail` (nothing when head is -1). */
  free(head: number, tail: number): void {
    if (head < 0) return;
    this.setNext(tail, this.freeHead);
    this.freeHead = head;
  }

  /** A new record after `tail` (-1: the first of a chain); its fields hold old values until set. */
  protected appendAfter(tail: number): number {
    let i = this.freeHead;
    if (i >= 0) {
      this.freeHead = this.nextOf(i);
    } else {
      i = this.used++;
      if ((i & PAGE_MASK) === 0) this.addPage();
    }
    this.setNext(i, -1);
    if (tail >= 0) this.setNext(tail, i);
    return i;
  }

  /** Where record `i`'s doubles start in its page's Float64Array (`recordBytes` a multiple of 8). */
  protected f64At(i: number): number {
    return ((i & PAGE_MASK) * this.recordBytes) >>> 3;
  }

  /** Where record `i`'s 32-bit words start in its page's Uint32Array. */
  protected wordAt(i: number): number {
    return ((i & PAGE_MASK) * this.recordBytes) >>> 2;
  }

  /** Where record `i`'s bytes start in its page's Uint8Array. */
  protected byteAt(i: number): number {
    return (i & PAGE_MASK) * this.recordBytes;
  }

  private setNext(i: number, next: number): void {
    this.i32[i >>> REPLAY_PAGE_BITS][this.wordAt(i) + this.nextWord] = next;
  }

  private addPage(): void {
    const buffer = new ArrayBuffer(PAGE_RECORDS * this.recordBytes);
    this.f64.push(new Float64Array(buffer));
    this.u32.push(new Uint32Array(buffer));
    this.i32.push(new Int32Array(buffer));
    this.u8.push(new Uint8Array(buffer));
  }
}

/** Frame numbers in records are kept in 40 bits, the low 32 in a 32-bit word and the rest in a byte: a
 * double took 3 bytes more a record, and half a million connections log millions of records. 2^40 frames
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
