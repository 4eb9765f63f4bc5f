/** The indexed field readers give what Buffer's readers give, for every byte value and offset. */
import fc from 'fast-check';
import { u16be, u16le, u32be, u32le } from '../src/byte-fields';

describe('byte fields', () => {
  it('read as Buffer.readUInt16BE/LE and readUInt32BE/LE do', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 64 }), fc.nat(), (bytes, pick) => {
      const b = Buffer.from(bytes);
      const at = pick % (b.length - 3);
      expect(u16be(b, at)).toBe(b.readUInt16BE(at));
      expect(u16le(b, at)).toBe(b.readUInt16LE(at));
      expect(u32be(b, at)).toBe(b.readUInt32BE(at));
      expect(u32le(b, at)).toBe(b.readUInt32LE(at));
    }), { numRuns: 2000 });
  });

  it('give the extremes unsigned', () => {
    const ones = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    expect(u16be(ones, 0)).toBe(0xffff);
    expect(u32be(ones, 0)).toBe(0xffffffff);
    expect(u32le(ones, 0)).toBe(0xffffffff);
    const high = Buffer.from([0x80, 0, 0, 0x01]);
    expect(u32be(high, 0)).toBe(0x80000001);
    expect(u32le(high, 0)).toBe(0x01000080);
    expect(u16le(high, 2)).toBe(0x0100);
  });
});
