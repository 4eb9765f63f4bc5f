import { counterToSeconds, timestampScale } from '../../src/capture/pcapng/timestamp';
import { seededRandom } from './collect';

/** The exact quotient and remainder, then the same two roundings the reader promises. */
function reference(hi: number, lo: number, units: bigint, offset: number): number {
  const counter = (BigInt(hi) << 32n) | BigInt(lo);
  return offset + Number(counter / units) + Number(counter % units) / Number(units);
}

describe('counterToSeconds', () => {
  const rnd = seededRandom(42);
  const word = (): number => Math.floor(rnd() * 2 ** 32);

  it.each([
    [6, 10n ** 6n], [9, 10n ** 9n], [0x80 | 10, 2n ** 10n], [0x80 | 30, 2n ** 30n], [0x80 | 32, 2n ** 32n], [12, 10n ** 12n], [0, 1n],
  ])('is exact for if_tsresol 0x%s over the whole 64-bit range', (tsresol, units) => {
    const scale = timestampScale(tsresol, 0);
    const his = [0, 1, 0x0fffffff, 0x17a2b3c4, 0xffffffff, ...Array.from({ length: 200 }, word)];
    for (const hi of his) {
      for (const lo of [0, 1, 0xffffffff, word()]) expect(counterToSeconds(hi, lo, scale)).toBe(reference(hi, lo, units, 0));
    }
  });

  it('keeps sub-microsecond precision where hi*2^32+lo passes 2^53', () => {
    // 2023-11-14T22:13:20.123456789Z in nanoseconds: 1.7e18 > 2^53.
    const ns = 1700000000123456789n;
    const ts = counterToSeconds(Number(ns >> 32n), Number(ns & 0xffffffffn), timestampScale(9, 0));
    expect(ts).toBe(1700000000 + 0.123456789);
  });

  it('adds if_tsoffset in whole seconds before the fraction', () => {
    expect(counterToSeconds(0, 1500, timestampScale(3, 1700000000))).toBe(1700000001.5);
    expect(counterToSeconds(0, 250, timestampScale(3, -10))).toBe(-9.75);
  });
});
