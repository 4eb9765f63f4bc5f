/** SlotRecords: a record per slot, its numbers side by side in pages, handed out fresh, a slot given
 * back before any new one. */
import { REPLAY_PAGE_BITS } from '../../src/flow/id-pages';
import { SlotRecords } from '../../src/flow/slot-records';

const RECORD_BYTES = 24;

/** A record of a double (bytes 0-7), a signed word that is -1 when fresh (8-11), an unsigned word
 * (12-15) and a byte (16). */
function records(): SlotRecords {
  return new SlotRecords(RECORD_BYTES, ({ i32 }) => { i32[2] = -1; });
}

function read(r: SlotRecords, slot: number): [number, number, number, number] {
  const at = r.bytesAt(slot);
  return [r.f64Of(slot)[at >>> 3], r.i32Of(slot)[(at >>> 2) + 2], r.u32Of(slot)[(at >>> 2) + 3], r.u8Of(slot)[at + 16]];
}

function write(r: SlotRecords, slot: number, value: number): void {
  const at = r.bytesAt(slot);
  r.f64Of(slot)[at >>> 3] = value + 0.5;
  r.i32Of(slot)[(at >>> 2) + 2] = -value - 1;
  r.u32Of(slot)[(at >>> 2) + 3] = 0xffffffff - value;
  r.u8Of(slot)[at + 16] = value;
}

describe('SlotRecords', () => {
  it('keeps each record apart from its neighbours, past many pages, each kind of number where it belongs', () => {
    const r = records();
    const n = 3 * (1 << REPLAY_PAGE_BITS) + 5;
    for (let i = 0; i < n; i++) {
      expect(r.take()).toBe(i);
      expect(read(r, i)).toEqual([0, -1, 0, 0]);
      write(r, i, i);
    }
    for (const i of [0, 1, 4095, 4096, 8191, n - 1]) expect(read(r, i)).toEqual([i + 0.5, -i - 1, 0xffffffff - i, i & 0xff]);
    expect(r.taken).toBe(n);
    // The views of one page are the same memory.
    expect(r.f64Of(4096).buffer).toBe(r.u8Of(4097).buffer);
    expect(r.f64Of(4095).buffer).not.toBe(r.f64Of(4096).buffer);
  });

  it('hands a slot given back out again, fresh, before any new one', () => {
    const r = records();
    for (let i = 0; i < 10; i++) write(r, r.take(), 7);
    r.give(3);
    r.give(8);
    expect(r.taken).toBe(8);
    expect(r.take()).toBe(8);
    expect(read(r, 8)).toEqual([0, -1, 0, 0]);
    expect(r.take()).toBe(3);
    expect(read(r, 3)).toEqual([0, -1, 0, 0]);
    expect(read(r, 4)).toEqual([7.5, -8, 0xffffffff - 7, 7]);
    expect(r.take()).toBe(10);
  });
});
