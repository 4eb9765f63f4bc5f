/** TCP sequence arithmetic modulo 2^32 (RFC 793 §3.3; gopacket Sequence.Difference, Zeek seq_wraps). */

/** Signed distance from `a` to `b` (b − a), in (−2^31, 2^31]. */
export function seqDiff(a: number, b: number): number {
  return (b - a) | 0;
}

/** a < b in sequence space. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a <= b in sequence space. */
export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a + n, wrapped to an unsigned 32-bit value. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** A 32-bit sequence number placed in the 64-bit space after `wraps` wrap-arounds (Zeek's byte counts). */
export function fullSeq(seq: number, wraps: number): number {
  return wraps * 0x1_0000_0000 + seq;
}
