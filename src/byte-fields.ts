/** Unsigned integer fields read by indexing the bytes, for the paths that run once per packet or record.
 * Buffer's readUInt16BE and kin check their offset through a wrapper that V8 does not always inline
 * (with the smaller inlining budget of two threads, 2.7 % of a scan worker's profile). These check
 * nothing: every caller has made sure the field's bytes are there. */

export function u16be(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

export function u32be(b: Uint8Array, at: number): number {
  return b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}

export function u16le(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

export function u32le(b: Uint8Array, at: number): number {
  return b[at + 3] * 0x1000000 + ((b[at + 2] << 16) | (b[at + 1] << 8) | b[at]);
}
