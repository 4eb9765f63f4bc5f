/** Each kind of IdPages keeps its numbers in its own kind of array, over as many pages as ids need. */
import { Float64Pages, Int32Pages, Uint32Pages, Uint8Pages, type IdPages } from '../../src/flow/id-pages';

const PAGE_BITS = 4;
const IDS = 100;

/** Writes value(id, k) to every number of ids 0..IDS-1 (in an order other than the ids'), reads them back. */
function roundTrip(pages: IdPages<Float64Array | Uint32Array | Int32Array | Uint8Array>, width: number, value: (id: number, k: number) => number): number[] {
  expect(pages.ensure(IDS - 1)).toBe(Math.ceil(IDS / 2 ** PAGE_BITS) * 2 ** PAGE_BITS);
  for (let i = 0; i < IDS; i++) {
    const id = (i * 37) % IDS;
    for (let k = 0; k < width; k++) pages.set(id, k, value(id, k));
  }
  const read: number[] = [];
  for (let id = 0; id < IDS; id++) for (let k = 0; k < width; k++) read.push(pages.get(id, k));
  return read;
}

function expected(width: number, value: (id: number, k: number) => number): number[] {
  const all: number[] = [];
  for (let id = 0; id < IDS; id++) for (let k = 0; k < width; k++) all.push(value(id, k));
  return all;
}

describe('IdPages by kind', () => {
  it('keeps doubles as doubles', () => {
    const value = (id: number, k: number): number => id * 1e9 + k + 0.25;
    expect(roundTrip(new Float64Pages(3, PAGE_BITS), 3, value)).toEqual(expected(3, value));
    expect(new Float64Pages(1, PAGE_BITS).pageOf(0)).toBeUndefined();
  });

  it('keeps unsigned 32-bit words, signed 32-bit words and bytes, each wrapping as its array does', () => {
    expect(roundTrip(new Uint32Pages(2, PAGE_BITS), 2, (id, k) => (k === 0 ? 0xffffffff - id : -1))).toEqual(expected(2, (id, k) => (k === 0 ? 0xffffffff - id : 0xffffffff)));
    expect(roundTrip(new Int32Pages(2, PAGE_BITS), 2, (id, k) => (k === 0 ? -id - 1 : 0xffffffff))).toEqual(expected(2, (id, k) => (k === 0 ? -id - 1 : -1)));
    expect(roundTrip(new Uint8Pages(2, PAGE_BITS), 2, (id, k) => id + k * 256 + 200)).toEqual(expected(2, (id) => (id + 200) & 0xff));
  });

  it('fills one id without touching its neighbours, and gives the page and offset a handle reads by', () => {
    const pages = new Int32Pages(3, PAGE_BITS);
    pages.ensure(40);
    for (let id = 30; id <= 34; id++) for (let k = 0; k < 3; k++) pages.set(id, k, id);
    pages.fill(32, -1);
    expect([31, 32, 33].map((id) => [0, 1, 2].map((k) => pages.get(id, k)))).toEqual([[31, 31, 31], [-1, -1, -1], [33, 33, 33]]);
    expect(pages.pageOf(33)[pages.offsetOf(33) + 2]).toBe(33);
    expect(pages.pageOf(33)).toBeInstanceOf(Int32Array);
  });
});
