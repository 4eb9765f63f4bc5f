/** pcapng timestamps: a 64-bit counter of 1/unitsPerSecond ticks since the epoch, plus if_tsoffset. */

export interface TimestampScale {
  unitsPerSecond: number;
  /** Set when unitsPerSecond > 2^32, where the fast path below would lose exactness. */
  unitsPerSecondBig: bigint | null;
  /** if_tsoffset, whole seconds. */
  offsetSeconds: number;
}

const DIGIT = 0x10000;
const FAST_MAX_UNITS = 2 ** 32;

/** if_tsresol (option 9): high bit clear = 10^-n, set = 2^-n; absent = microseconds. */
export function timestampScale(tsresol: number, offsetSeconds: number): TimestampScale {
  const exponent = BigInt(tsresol & 0x7f);
  const big = tsresol & 0x80 ? 1n << exponent : 10n ** exponent;
  const unitsPerSecond = Number(big);
  return { unitsPerSecond, unitsPerSecondBig: unitsPerSecond > FAST_MAX_UNITS ? big : null, offsetSeconds };
}

export const DEFAULT_TSRESOL = 6;

/** Seconds for the counter hi:lo. hi * 2^32 + lo passes 2^53 for nanosecond counters, so the
 * quotient and remainder come from long division in base 2^16: every step stays below 2^48. */
export function counterToSeconds(hi: number, lo: number, scale: TimestampScale): number {
  const units = scale.unitsPerSecond;
  if (scale.unitsPerSecondBig !== null) return bigCounterToSeconds(hi, lo, scale.unitsPerSecondBig, scale.offsetSeconds);
  const q0 = Math.floor(hi / units);
  let rest = hi - q0 * units;
  let n = rest * DIGIT + (lo >>> 16);
  const q1 = Math.floor(n / units);
  rest = n - q1 * units;
  n = rest * DIGIT + (lo & 0xffff);
  const q2 = Math.floor(n / units);
  rest = n - q2 * units;
  return scale.offsetSeconds + (q0 * DIGIT + q1) * DIGIT + q2 + rest / units;
}

/** Finer than 2^-32 s (picoseconds and the like): rare, so BigInt's allocations are fine. */
function bigCounterToSeconds(hi: number, lo: number, units: bigint, offsetSeconds: number): number {
  const counter = (BigInt(hi) << 32n) | BigInt(lo);
  return offsetSeconds + Number(counter / units) + Number(counter % units) / Number(units);
}
