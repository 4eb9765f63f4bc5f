import { emptyArrayOf } from './empty-arrays';
import { NO_PAGE, REPLAY_PAGE_BITS } from './id-pages';

const PAGE_RECORDS = 1 << REPLAY_PAGE_BITS;
const PAGE_MASK = PAGE_RECORDS - 1;

/** Fixed-size records, numbered from 0, each record's numbers side by side in one buffer per page of
 * 4,096 records, read through a view of each kind: a record whose fields lay in a column each missed the
 * cache once per column, and the replay's records are reused in any order, so after some minutes of
 * capture they lie anywhere in memory. Field `k` of record `i`, say a double, is
 * f64[i >>> REPLAY_PAGE_BITS][f64At(i) + k]. Pages are added as needed and kept. */
export abstract class RecordPages {
  protected readonly f64: Float64Array[] = emptyArrayOf(NO_PAGE.float64);
  protected readonly u32: Uint32Array[] = emptyArrayOf(NO_PAGE.uint32);
  protected readonly i32: Int32Array[] = emptyArrayOf(NO_PAGE.int32);
  protected readonly u8: Uint8Array[] = emptyArrayOf(NO_PAGE.uint8);

  /** `recordBytes`: a multiple of 4, and of 8 where the record keeps doubles (they must be aligned). */
  constructor(protected readonly recordBytes: number) {}

  /** Where record `i`'s doubles start in its page's Float64Array. */
  protected f64At(i: number): number {
    return ((i & PAGE_MASK) * this.recordBytes) >>> 3;
  }

  /** Where record `i`'s 32-bit words start in its page's Uint32Array and Int32Array. */
  protected wordAt(i: number): number {
    return ((i & PAGE_MASK) * this.recordBytes) >>> 2;
  }

  /** Where record `i`'s bytes start in its page's Uint8Array. */
  protected byteAt(i: number): number {
    return (i & PAGE_MASK) * this.recordBytes;
  }

  /** Room for record `i`, records being taken in order (a new page for the first record of one). */
  protected ensure(i: number): void {
    if ((i & PAGE_MASK) === 0 && i >>> REPLAY_PAGE_BITS === this.u8.length) this.addPage();
  }

  private addPage(): void {
    const buffer = new ArrayBuffer(PAGE_RECORDS * this.recordBytes);
    this.f64.push(new Float64Array(buffer));
    this.u32.push(new Uint32Array(buffer));
    this.i32.push(new Int32Array(buffer));
    this.u8.push(new Uint8Array(buffer));
  }
}
