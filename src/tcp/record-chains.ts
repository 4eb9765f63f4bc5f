import { REPLAY_PAGE_BITS } from '../flow/id-pages';
import { RecordPages } from '../flow/record-pages';

/** Fixed-size records, chained per owner: what a connection logs while it is replayed, without an object
 * per record. A chain is a list of record indexes linked by `next`; freeing a chain gives its records to
 * the next connections, so after some minutes of capture a chain's records lie anywhere in the pages:
 * each record's numbers are side by side (see RecordPages; a column per field, on bench (c)'s 45
 * minutes, made walking the chains to write each connection's record nearly a fifth of the replay). */
export abstract class RecordChains extends RecordPages {
  private freeHead = -1;
  private used = 0;
  private readonly recordWords: number;

  /** `recordBytes`: see RecordPages; `nextWord`: which 32-bit word of the record holds `next`. */
  constructor(recordBytes: number, private readonly nextWord: number) {
    super(recordBytes);
    if (recordBytes % (4 * COPY_WORDS) !== 0) throw new Error(`records of ${recordBytes} bytes are not copied whole, ${COPY_WORDS} words at a time`);
    this.recordWords = recordBytes >>> 2;
  }

  /** Copies record `i` as it is, `next` and all, to `out` from word `k`: a connection's record carries its
   * events and state changes in their replay layout (see connection-record.ts), read there with the
   * offsets they are written with. */
  copyRecord(i: number, out: Uint32Array, k: number): void {
    const words = this.u32[i >>> REPLAY_PAGE_BITS];
    const w = this.wordAt(i);
    for (let n = 0; n < this.recordWords; n += COPY_WORDS) copyFiveWords(words, w + n, out, k + n);
  }

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
      this.ensure(i);
    }
    this.setNext(i, -1);
    if (tail >= 0) this.setNext(tail, i);
    return i;
  }

  private setNext(i: number, next: number): void {
    this.i32[i >>> REPLAY_PAGE_BITS][this.wordAt(i) + this.nextWord] = next;
  }
}

/** Records are copied this many words at a time, unrolled (a loop a word at a time took more instructions
 * than the copying): both kinds are a multiple of it. */
const COPY_WORDS = 5;

function copyFiveWords(from: Uint32Array, w: number, to: Uint32Array, k: number): void {
  to[k] = from[w];
  to[k + 1] = from[w + 1];
  to[k + 2] = from[w + 2];
  to[k + 3] = from[w + 3];
  to[k + 4] = from[w + 4];
}

/** Memory holding records copied out of their chains (see copyRecord), seen as each kind of number. A
 * record at byte `at` has its doubles from f64[at >>> 3] (`at` a multiple of 8 where it has doubles),
 * its words from u32[at >>> 2], its bytes from u8[at]. */
export interface RecordMemory {
  f64: Float64Array<ArrayBufferLike>;
  u32: Uint32Array<ArrayBufferLike>;
  u8: Uint8Array<ArrayBufferLike>;
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
