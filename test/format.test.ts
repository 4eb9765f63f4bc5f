/** The human-readable number formats. */
import { fmtCount, plural } from '../src/format';

describe('fmtCount', () => {
  it('groups thousands as toLocaleString does in en-US, without calling it for whole numbers', () => {
    const wholes = [-1_234_567, -1000, -999, -1, 0, 1, 7, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 2 ** 32, Number.MAX_SAFE_INTEGER];
    for (let n = -2500; n <= 2500; n += 7) wholes.push(n);
    for (const n of wholes) expect(fmtCount(n)).toBe(n.toLocaleString('en-US'));
    // Fractions and whole numbers beyond 2^53 still go to toLocaleString (String(1e21) is "1e+21").
    for (const n of [0.5, 999.5, 1234.5678, -0.125, 2 ** 60, 1e21, -1e22]) expect(fmtCount(n)).toBe(n.toLocaleString('en-US'));
    expect(fmtCount(-0)).toBe('0');
    expect(fmtCount(1234567)).toBe('1,234,567');
  });

  it('counts with a word', () => {
    expect(plural(1, 'packet')).toBe('1 packet');
    expect(plural(12_000, 'packet')).toBe('12,000 packets');
  });
});
