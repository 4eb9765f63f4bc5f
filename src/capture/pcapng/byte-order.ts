import { u16be, u16le, u32be, u32le } from '../../byte-fields';

/** Field readers for one byte order: a pcapng section picks one from its byte-order magic. */
export interface ByteOrderReader {
  readonly name: 'LE' | 'BE';
  u16(b: Buffer, offset: number): number;
  u32(b: Buffer, offset: number): number;
  i64(b: Buffer, offset: number): number;
}

export const LITTLE_ENDIAN: ByteOrderReader = {
  name: 'LE',
  u16: u16le,
  u32: u32le,
  i64: (b, o) => Number(b.readBigInt64LE(o)),
};

export const BIG_ENDIAN: ByteOrderReader = {
  name: 'BE',
  u16: u16be,
  u32: u32be,
  i64: (b, o) => Number(b.readBigInt64BE(o)),
};
