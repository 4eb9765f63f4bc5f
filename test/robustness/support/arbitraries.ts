/** fast-check arbitraries for capture bytes: valid file headers, records whose lengths tell the
 * truth or lie, and the ways the bytes can be cut into chunks. */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { block, idb, pcapHeader, shb, type ByteOrder } from '../../support/capture-writer';
import type { Chunking } from './outcome';

/** Link types the decoder routes, plus a few it does not. */
export const LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 242, 276, 147, 9];

export const byteOrderArb: fc.Arbitrary<ByteOrder> = fc.constantFrom<ByteOrder>('LE', 'BE');

export const chunkingArb: fc.Arbitrary<Chunking> = fc.oneof(
  fc.constant<Chunking>({ kind: 'whole' }),
  fc.record({ kind: fc.constant('random' as const), seed: fc.nat(), max: fc.constantFrom(7, 64, 4096), empties: fc.boolean() }),
);

export const pcapHeaderArb: fc.Arbitrary<Buffer> = fc
  .record({ byteOrder: byteOrderArb, nanos: fc.boolean(), linkType: fc.constantFrom(...LINK_TYPES), snaplen: fc.constantFrom(0, 64, 65535, 262144, 0xffffffff) })
  .map((o) => pcapHeader(o));

export const pcapngHeaderArb: fc.Arbitrary<Buffer> = fc
  .record({ byteOrder: byteOrderArb, interfaces: fc.array(fc.constantFrom(...LINK_TYPES), { maxLength: 3 }), snaplen: fc.constantFrom(0, 64, 65535) })
  .map(({ byteOrder, interfaces, snaplen }) => Buffer.concat([shb(byteOrder), ...interfaces.map((linkType) => idb({ linkType, snaplen }, byteOrder))]));

/** A header that sniffs as pcap, pcapng or gzip, possibly cut short itself. */
export const anyHeaderArb: fc.Arbitrary<Buffer> = fc.oneof(
  pcapHeaderArb,
  pcapngHeaderArb,
  fc.tuple(fc.oneof(pcapHeaderArb, pcapngHeaderArb), fc.nat(40)).map(([h, cut]) => h.subarray(0, Math.max(4, h.length - cut))),
  // A gzip member header (magic, deflate, no flags) whose deflate data will be random.
  fc.constant(Buffer.from('1f8b0800000000000003', 'hex')),
);

/** A random body: random bytes, or zeros (which look like endless empty records). */
export const bodyArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 1024 }) },
  { weight: 1, arbitrary: fc.nat(1024).map((n) => new Uint8Array(n)) },
);

/** Raw packet bytes that sometimes look like Ethernet + IPv4 + TCP, so decoding gets somewhere. */
export const frameBytesArb: fc.Arbitrary<Buffer> = fc
  .tuple(fc.uint8Array({ maxLength: 120 }), fc.constantFrom('random', 'ipv4', 'ipv6'))
  .map(([bytes, shape]) => {
    const b = Buffer.from(bytes);
    if (shape === 'random' || b.length < 14) return b;
    b.writeUInt16BE(shape === 'ipv4' ? 0x0800 : 0x86dd, 12);
    if (b.length > 14) b[14] = shape === 'ipv4' ? 0x45 : 0x60;
    if (shape === 'ipv4' && b.length > 23) b[23] = 6;
    if (shape === 'ipv6' && b.length > 20) b[20] = 6;
    return b;
  });

/** One pcap record: its stored caplen tells the truth or not. */
export const pcapRecordsArb = (byteOrder: ByteOrder): fc.Arbitrary<Buffer[]> => fc.array(
  fc.record({ ts: fc.nat(), frac: fc.nat(), data: frameBytesArb, lie: fc.option(fc.oneof(fc.nat(300), fc.constantFrom(0x40000, 0xffffffff)), { freq: 8 }) }),
  { maxLength: 12 },
).map((records) => records.map(({ ts, frac, data, lie }) => {
  const h = Buffer.alloc(16);
  const w = (v: number, at: number): void => { if (byteOrder === 'LE') h.writeUInt32LE(v >>> 0, at); else h.writeUInt32BE(v >>> 0, at); };
  w(ts, 0);
  w(frac, 4);
  w(lie ?? data.length, 8);
  w(data.length, 12);
  return Buffer.concat([h, data]);
}));

/** pcapng blocks of the kinds the reader handles, with lengths that mostly tell the truth. */
export const pcapngBlocksArb = (byteOrder: ByteOrder): fc.Arbitrary<Buffer[]> => fc.array(
  fc.record({
    type: fc.constantFrom(6, 6, 6, 3, 2, 1, 0x0a0d0d0a, 5, 0x204, 0xdeadbeef),
    interfaceId: fc.oneof(fc.constantFrom(0, 0, 0, 1), fc.nat()),
    data: frameBytesArb,
    lie: fc.option(fc.oneof(fc.nat(400), fc.constant(0xffffffff)), { freq: 8 }),
  }),
  { maxLength: 12 },
).map((blocks) => blocks.map(({ type, interfaceId, data, lie }) => {
  const le = byteOrder === 'LE';
  const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); if (le) b.writeUInt32LE(v >>> 0); else b.writeUInt32BE(v >>> 0); return b; };
  let body: Buffer;
  if (type === 6 || type === 2) body = Buffer.concat([u32(interfaceId), u32(0), u32(interfaceId * 7), u32(lie ?? data.length), u32(data.length), data]);
  else if (type === 3) body = Buffer.concat([u32(lie ?? data.length), data]);
  else if (type === 1) body = Buffer.concat([u32(1 | (interfaceId << 16)), u32(interfaceId & 0xffff)]);
  else if (type === 0x0a0d0d0a) return shb(byteOrder, interfaceId % 5 === 4 ? [2, 0] : [1, 0]);
  else body = data;
  const out = block(type, body, byteOrder);
  if (lie !== null && type !== 6 && type !== 2 && type !== 3) {
    if (le) out.writeUInt32LE(lie >>> 0, 4);
    else out.writeUInt32BE(lie >>> 0, 4);
  }
  return out;
}));

/** A capture-shaped input: a valid header, then well-formed, lying or random records. */
export const captureLikeArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.tuple(anyHeaderArb, bodyArb).map(([h, body]) => Buffer.concat([h, body])),
  byteOrderArb.chain((order) => fc.tuple(pcapHeaderArb.map((h) => rewriteOrder(h, order)), pcapRecordsArb(order))).map(([h, records]) => Buffer.concat([h, ...records])),
  byteOrderArb.chain((order) => fc.tuple(fc.constant(order), pcapngBlocksArb(order)))
    .map(([order, blocks]) => Buffer.concat([shb(order), idb({ linkType: 1 }, order), ...blocks])),
  fc.tuple(anyHeaderArb, bodyArb).map(([h, body]) => gzipSync(Buffer.concat([h, body]), { level: 1 })),
);

/** A pcap header in the given byte order (the arbitrary may have drawn the other one). */
function rewriteOrder(header: Buffer, order: ByteOrder): Buffer {
  const le = header.readUInt32LE(0) === 0xa1b2c3d4 || header.readUInt32LE(0) === 0xa1b23c4d;
  if ((order === 'LE') === le) return header;
  const nanos = header.readUInt32LE(0) === 0xa1b23c4d || header.readUInt32BE(0) === 0xa1b23c4d;
  const read = (at: number): number => (le ? header.readUInt32LE(at) : header.readUInt32BE(at));
  return pcapHeader({ byteOrder: order, nanos, snaplen: read(16), linkType: read(20) });
}
