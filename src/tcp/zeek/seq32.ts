/** TCP sequence arithmetic mod 2^32 (Zeek's seq_delta and friends). Numbers stay plain JS numbers. */

const TWO_32 = 0x1_0000_0000;

/** The value as an unsigned 32-bit sequence number. */
export function u32(x: number): number {
  return x >>> 0;
}

/** a - b as a signed 32-bit distance: positive when a is "after" b, even across the wrap. */
export function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}

/** A 32-bit sequence number placed in the 64-bit space after `wraps` wrap-arounds. */
export function fullSeq(seq: number, wraps: number): number {
  return wraps * TWO_32 + seq;
}
