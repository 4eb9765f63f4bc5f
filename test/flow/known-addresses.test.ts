import { formatAddress } from '../../src/flow/endpoint-key';
import { KnownAddresses } from '../../src/flow/known-addresses';

/** `address` at offset 3 of a packet's bytes, each call a new Buffer. */
const bytesOf = (address: number[]): Buffer => Buffer.from([0xee, 0xee, 0xee, ...address, 0xee]);
const V6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const same = (address: string): string => address;

describe('KnownAddresses', () => {
  it('gives the address bytes as a one-byte string, IPv4 (high bit set too) and IPv6', () => {
    const known = new KnownAddresses(4, same);
    expect(known.at(bytesOf([192, 168, 1, 2]), 3, 4)).toBe('\xc0\xa8\x01\x02');
    expect(known.at(bytesOf([10, 0, 0, 1]), 3, 4)).toBe('\x0a\x00\x00\x01');
    expect(known.at(bytesOf(V6), 3, 16)).toBe(String.fromCharCode(...V6));
  });

  it('tells addresses apart that differ in one byte, or by family', () => {
    const known = new KnownAddresses(16, same);
    const seen = [[10, 0, 0, 1], [10, 0, 0, 2], [10, 0, 1, 1], [11, 0, 0, 1], [255, 255, 255, 255], [0, 0, 0, 0]]
      .map((a) => known.at(bytesOf(a), 3, 4));
    expect(new Set(seen).size).toBe(6);
    expect(known.at(bytesOf([...V6.slice(0, 12), 10, 0, 0, 1]), 3, 16)).toHaveLength(16);
  });

  it('empties when it holds its limit, and still gives every address right', () => {
    const known = new KnownAddresses(2, same);
    for (let i = 0; i < 5; i++) {
      expect(known.at(bytesOf([10, 0, 0, i]), 3, 4)).toBe(`\x0a\x00\x00${String.fromCharCode(i)}`);
      expect(known.at(bytesOf([...V6.slice(0, 15), i]), 3, 16)).toBe(String.fromCharCode(...V6.slice(0, 15), i));
    }
    expect(known.at(bytesOf([10, 0, 0, 4]), 3, 4)).toBe('\x0a\x00\x00\x04');
  });

  it('makes what it keeps once per address, as asked (formatted, for views)', () => {
    const made: string[] = [];
    const known = new KnownAddresses(16, (address) => {
      made.push(address);
      return formatAddress(address);
    });
    expect(known.at(bytesOf([192, 168, 1, 2]), 3, 4)).toBe('192.168.1.2');
    expect(known.at(bytesOf([192, 168, 1, 2]), 3, 4)).toBe('192.168.1.2');
    expect(known.at(bytesOf(V6), 3, 16)).toBe('2001:db8::1');
    expect(known.at(bytesOf(V6), 3, 16)).toBe('2001:db8::1');
    expect(made).toHaveLength(2);
  });
});
