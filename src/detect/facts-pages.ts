/** FactsTable's columns, a page of ids at a time, kept in memory a few pages at a time: the facts of every
 * connection of a long capture (some 160 bytes each, 330 MB on 2.1 million connections) go to a page
 * store (the spool's temporary file), and come back when asked for. Connections retire nearly in id
 * order, and the report reads them in id order, so the few pages in use are nearly always the ones
 * asked for. */

/** How many ids a page holds (2^pageBits), and how many pages stay in memory when there is a store to put
 * the others in. */
export interface Paging {
  pageBits: number;
  pagesInMemory: number;
}

/** Pages of 4,096 ids (650 KB of columns), 16 in memory: 10 MB. */
const PAGING: Paging = { pageBits: 12, pagesInMemory: 16 };

/** Where pages not in use go. */
export interface PageStore {
  /** Writes a page's bytes at `offset` (where it was written before), or at a new place when `offset` is
   * null; returns where they are. */
  writePage(bytes: Uint8Array, offset: number | null): number;
  /** Reads back the bytes written at `offset`. */
  readPage(into: Uint8Array, offset: number): void;
}

/** Numbers per id in each column of a page. */
export interface ColumnWidths {
  times: number;
  frames: number;
  refs: number;
  codes: number;
}

function bytesPerId(w: ColumnWidths): number {
  return w.times * 8 + w.frames * 8 + w.refs * 4 + w.codes;
}

/** One page's columns in one buffer, written and read in one piece. */
export class FactsPage {
  readonly bytes: Uint8Array;
  readonly times: Float64Array;
  readonly frames: Float64Array;
  readonly refs: Uint32Array;
  readonly codes: Uint8Array;
  /** Which page of ids it holds now. */
  page = -1;
  lastUse = 0;
  /** Written since it was last read or stored. */
  dirty = false;

  constructor(w: ColumnWidths, ids: number) {
    const timesBytes = ids * w.times * 8;
    const framesBytes = ids * w.frames * 8;
    const refsBytes = ids * w.refs * 4;
    const buffer = new ArrayBuffer(timesBytes + framesBytes + refsBytes + ids * w.codes);
    this.bytes = new Uint8Array(buffer);
    this.times = new Float64Array(buffer, 0, ids * w.times);
    this.frames = new Float64Array(buffer, timesBytes, ids * w.frames);
    this.refs = new Uint32Array(buffer, timesBytes + framesBytes, ids * w.refs);
    this.codes = new Uint8Array(buffer, timesBytes + framesBytes + refsBytes, ids * w.codes);
  }
}

export class FactsPages {
  /** By page number: the page in memory that holds it. */
  private readonly loaded = new Map<number, FactsPage>();
  /** By page number: where the store has it. */
  private readonly stored = new Map<number, number>();
  private readonly inMemory: FactsPage[] = [];
  private clock = 0;
  /** The page `of` returned last, and its number (only `of` brings pages in, and sets them): a
   * connection's facts are read a field at a time, each a lookup of its page. */
  private lastPage: FactsPage | null = null;
  private lastNumber = -1;
  private readonly mask: number;
  private pagesInMemory: number;

  /** Without a store, every page stays in memory. `paging`: tests make pages small and few. */
  constructor(private readonly widths: ColumnWidths, private readonly store: PageStore | null = null, private readonly paging = PAGING) {
    this.mask = (1 << paging.pageBits) - 1;
    this.pagesInMemory = paging.pagesInMemory;
  }

  /** Every page of ids below `ids` stays in memory from now on if they take at most `bytes`. The report's detectors
   * walk all ids some 30 times (some once per listener): least-recently-used misses every page of such a
   * walk, and read bench (a)'s 52 pages back 1,547 times (about 1 GB). Once the capture is read, the
   * replay's memory is free for that. */
  keepAllWithin(bytes: number, ids: number): void {
    const pages = Math.ceil(ids / (this.mask + 1));
    if (pages * (this.mask + 1) * bytesPerId(this.widths) <= bytes) this.pagesInMemory = Math.max(this.pagesInMemory, pages);
  }

  /** Where id `id` is in its page. */
  slotOf(id: number): number {
    return id & this.mask;
  }

  /** The page that holds id `id`, read back from the store when it was put there. */
  of(id: number): FactsPage {
    const n = id >>> this.paging.pageBits;
    const page = n === this.lastNumber && this.lastPage !== null ? this.lastPage : (this.loaded.get(n) ?? this.bring(n));
    page.lastUse = ++this.clock;
    this.lastPage = page;
    this.lastNumber = n;
    return page;
  }

  private bring(n: number): FactsPage {
    let page: FactsPage;
    const offset = this.stored.get(n);
    if (this.store === null || this.inMemory.length < this.pagesInMemory) {
      // A new buffer is all zeros already.
      page = new FactsPage(this.widths, this.mask + 1);
      this.inMemory.push(page);
    } else {
      page = this.inMemory.reduce((a, b) => (b.lastUse < a.lastUse ? b : a));
      this.putAway(page, this.store);
      if (offset === undefined) page.bytes.fill(0);
    }
    if (offset !== undefined) this.store?.readPage(page.bytes, offset);
    page.page = n;
    page.dirty = false;
    this.loaded.set(n, page);
    return page;
  }

  private putAway(page: FactsPage, store: PageStore): void {
    if (page.dirty) this.stored.set(page.page, store.writePage(page.bytes, this.stored.get(page.page) ?? null));
    this.loaded.delete(page.page);
  }
}
