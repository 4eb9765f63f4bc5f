/** The Internet checksum (RFC 1071) over the given buffers, as if concatenated. */
export function internetChecksum(...parts: Buffer[]): number {
  const all = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i + 1 < all.length; i += 2) sum += all.readUInt16BE(i);
  if (all.length % 2 === 1) sum += all[all.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The pseudo-header TCP and UDP checksums cover (RFC 9293 §3.1, RFC 8200 §8.1). */
export function pseudoHeader(src: Buffer, dst: Buffer, protocol: number, length: number): Buffer {
  if (src.length === 4) {
    const tail = Buffer.from([0, protocol, length >> 8, length & 0xff]);
    return Buffer.concat([src, dst, tail]);
  }
  const tail = Buffer.alloc(8);
  tail.writeUInt32BE(length, 0);
  tail[7] = protocol;
  return Buffer.concat([src, dst, tail]);
}
