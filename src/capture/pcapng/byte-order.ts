/** Field readers for one byte order: a pcapng section picks one from its byte-order magic. */
export interface ByteOrderReader {
  readonly name: 'LE' | 'BE';
  u16(b: Buffer, offset: number): number;
  u32(b: Buffer, offset: number): number;
  i64(b: Buffer, offset: number): number;
}

export const LITTLE_ENDIAN: ByteOrderReader = {
  name: 'LE',
  u16: (b, o) => b.readUInt16LE(o),
  u32: (b, o) => b.readUInt32LE(o),
  i64: (b, o) => Number(b.readBigInt64LE(o)),
};

export const BIG_ENDIAN: ByteOrderReader = {
  name: 'BE',
  u16: (b, o) => b.readUInt16BE(o),
  u32: (b, o) => b.readUInt32BE(o),
  i64: (b, o) => Number(b.readBigInt64BE(o)),
};
