/** Deterministic capture writer for tests and benchmarks: classic pcap (LE/BE, µs/ns), pcapng (byte
 * orders, sections, interfaces, if_tsresol, if_tsoffset, EPB/SPB/PB, arbitrary blocks) and gzip.
 * Whole-file functions return Buffers; createPcapWriter/createPcapngWriter stream to a Writable. */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';

export type ByteOrder = 'LE' | 'BE';

export interface WriteRecord {
  /** Epoch seconds. */
  ts: number;
  data: Buffer;
  /** Defaults to data.length. */
  origLen?: number;
  /** pcap: must match the file's link type. pcapng: picks the interface when interfaceId is absent. */
  linkType?: number;
  interfaceId?: number;
}

export const LINKTYPE_ETHERNET = 1;

// ---- timestamps -------------------------------------------------------------------------------

/** ts as an integer count of 1/unitsPerSecond ticks (seconds split off first to keep the fraction). */
export function toUnits(ts: number, unitsPerSecond: bigint): bigint {
  const sec = Math.floor(ts);
  return BigInt(sec) * unitsPerSecond + BigInt(Math.round((ts - sec) * Number(unitsPerSecond)));
}

/** The ts a reader should report for `ts` stored at that resolution (and if_tsoffset). */
export function storedTs(ts: number, unitsPerSecond: bigint, offsetSeconds = 0): number {
  const units = toUnits(ts - offsetSeconds, unitsPerSecond);
  return offsetSeconds + Number(units / unitsPerSecond) + Number(units % unitsPerSecond) / Number(unitsPerSecond);
}

// ---- classic pcap -----------------------------------------------------------------------------

export interface PcapOptions {
  byteOrder?: ByteOrder;
  nanos?: boolean;
  linkType?: number;
  snaplen?: number;
}

class Fields {
  private readonly b: Buffer;
  private p = 0;

  constructor(size: number, private readonly le: boolean) {
    this.b = Buffer.alloc(size);
  }

  u16(v: number): this {
    if (this.le) this.b.writeUInt16LE(v, this.p);
    else this.b.writeUInt16BE(v, this.p);
    this.p += 2;
    return this;
  }

  u32(v: number): this {
    if (this.le) this.b.writeUInt32LE(v >>> 0, this.p);
    else this.b.writeUInt32BE(v >>> 0, this.p);
    this.p += 4;
    return this;
  }

  i32(v: number): this {
    if (this.le) this.b.writeInt32LE(v, this.p);
    else this.b.writeInt32BE(v, this.p);
    this.p += 4;
    return this;
  }

  /** pcapng timestamps: the high word first, whatever the byte order. */
  hiLo(v: bigint): this {
    return this.u32(Number(v >> 32n)).u32(Number(v & 0xffffffffn));
  }

  i64(v: number): this {
    if (this.le) this.b.writeBigInt64LE(BigInt(v), this.p);
    else this.b.writeBigInt64BE(BigInt(v), this.p);
    this.p += 8;
    return this;
  }

  bytes(data: Buffer): this {
    data.copy(this.b, this.p);
    this.p += data.length;
    return this;
  }

  pad(): this {
    this.p = (this.p + 3) & ~3;
    return this;
  }

  done(): Buffer {
    return this.b;
  }
}

export function pcapHeader(opts: PcapOptions = {}): Buffer {
  const le = (opts.byteOrder ?? 'LE') === 'LE';
  return new Fields(24, le)
    .u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).i32(0).u32(0)
    .u32(opts.snaplen ?? 65535).u32(opts.linkType ?? LINKTYPE_ETHERNET).done();
}

export function pcapRecord(rec: WriteRecord, opts: PcapOptions = {}): Buffer {
  const linkType = opts.linkType ?? LINKTYPE_ETHERNET;
  if (rec.linkType !== undefined && rec.linkType !== linkType) throw new Error(`pcap holds one link type (${linkType}), got ${rec.linkType}`);
  const units = toUnits(rec.ts, opts.nanos ? 1_000_000_000n : 1_000_000n);
  const perSecond = opts.nanos ? 1_000_000_000n : 1_000_000n;
  return new Fields(16 + rec.data.length, (opts.byteOrder ?? 'LE') === 'LE')
    .u32(Number(units / perSecond)).u32(Number(units % perSecond))
    .u32(rec.data.length).u32(rec.origLen ?? rec.data.length).bytes(rec.data).done();
}

export function writePcap(records: Iterable<WriteRecord>, opts: PcapOptions = {}): Buffer {
  return Buffer.concat([pcapHeader(opts), ...[...records].map((r) => pcapRecord(r, opts))]);
}

// ---- pcapng -----------------------------------------------------------------------------------

export interface TsResolution {
  base: 10 | 2;
  exponent: number;
}

export interface PcapngInterfaceSpec {
  linkType: number;
  snaplen?: number;
  /** Written as if_tsresol when given; absent = the default 10^-6. */
  tsresol?: TsResolution;
  /** if_tsoffset, seconds. */
  tsoffset?: number;
}

/** A block other than SHB/IDB/packets, written as is (the reader must skip it by its length). */
export interface RawBlock {
  type: number;
  body: Buffer;
}

export type PacketBlockKind = 'epb' | 'spb' | 'pb';

export interface PcapngRecord extends WriteRecord {
  /** Default 'epb'. */
  block?: PacketBlockKind;
}

export interface PcapngSection {
  byteOrder?: ByteOrder;
  /** Default: one interface per distinct record linkType, in order of appearance (Ethernet if none). */
  interfaces?: PcapngInterfaceSpec[];
  blocks: (PcapngRecord | RawBlock)[];
}

export function unitsPerSecond(iface: PcapngInterfaceSpec): bigint {
  const r = iface.tsresol ?? { base: 10, exponent: 6 };
  return BigInt(r.base) ** BigInt(r.exponent);
}

/** Any block: type, total length, body padded to 4, total length. */
export function block(type: number, body: Buffer, byteOrder: ByteOrder = 'LE'): Buffer {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  return new Fields(total, byteOrder === 'LE').u32(type).u32(total).bytes(body).pad().u32(total).done();
}

export function shb(byteOrder: ByteOrder = 'LE', version: [number, number] = [1, 0]): Buffer {
  const body = new Fields(16, byteOrder === 'LE').u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).i64(-1).done();
  return block(0x0a0d0d0a, body, byteOrder);
}

export function idb(iface: PcapngInterfaceSpec, byteOrder: ByteOrder = 'LE'): Buffer {
  const le = byteOrder === 'LE';
  const opts: Buffer[] = [];
  if (iface.tsresol) {
    const v = iface.tsresol.exponent | (iface.tsresol.base === 2 ? 0x80 : 0);
    opts.push(new Fields(8, le).u16(9).u16(1).bytes(Buffer.from([v])).pad().done());
  }
  if (iface.tsoffset !== undefined) opts.push(new Fields(12, le).u16(14).u16(8).i64(iface.tsoffset).done());
  if (opts.length > 0) opts.push(Buffer.alloc(4));
  const fixed = new Fields(8, le).u16(iface.linkType).u16(0).u32(iface.snaplen ?? 0).done();
  return block(1, Buffer.concat([fixed, ...opts]), byteOrder);
}

/** EPB (6), obsolete PB (2) or SPB (3) for `rec` on interface `interfaceId`. */
export function packetBlock(kind: PacketBlockKind, rec: WriteRecord, interfaceId: number, iface: PcapngInterfaceSpec, byteOrder: ByteOrder = 'LE'): Buffer {
  const le = byteOrder === 'LE';
  const origLen = rec.origLen ?? rec.data.length;
  if (kind === 'spb') return block(3, Buffer.concat([new Fields(4, le).u32(origLen).done(), rec.data]), byteOrder);
  const units = toUnits(rec.ts - (iface.tsoffset ?? 0), unitsPerSecond(iface));
  const id = kind === 'epb' ? new Fields(4, le).u32(interfaceId) : new Fields(4, le).u16(interfaceId).u16(0xffff);
  const fixed = new Fields(16, le).hiLo(units).u32(rec.data.length).u32(origLen).done();
  return block(kind === 'epb' ? 6 : 2, Buffer.concat([id.done(), fixed, rec.data]), byteOrder);
}

function isRaw(b: PcapngRecord | RawBlock): b is RawBlock {
  return 'body' in b;
}

function sectionInterfaces(section: PcapngSection): PcapngInterfaceSpec[] {
  if (section.interfaces) return section.interfaces;
  const types = [...new Set(section.blocks.filter((b) => !isRaw(b)).map((r) => (r as PcapngRecord).linkType ?? LINKTYPE_ETHERNET))];
  return (types.length > 0 ? types : [LINKTYPE_ETHERNET]).map((linkType) => ({ linkType }));
}

function interfaceIdOf(rec: WriteRecord, interfaces: PcapngInterfaceSpec[]): number {
  if (rec.interfaceId !== undefined) return rec.interfaceId;
  const i = rec.linkType === undefined ? 0 : interfaces.findIndex((f) => f.linkType === rec.linkType);
  if (i < 0) throw new Error(`no interface with link type ${rec.linkType}`);
  return i;
}

function sectionBlocks(section: PcapngSection): Buffer[] {
  const order = section.byteOrder ?? 'LE';
  const interfaces = sectionInterfaces(section);
  const out = [shb(order), ...interfaces.map((f) => idb(f, order))];
  for (const b of section.blocks) {
    if (isRaw(b)) {
      out.push(block(b.type, b.body, order));
      continue;
    }
    const id = interfaceIdOf(b, interfaces);
    out.push(packetBlock(b.block ?? 'epb', b, id, interfaces[id] ?? { linkType: 0 }, order));
  }
  return out;
}

export function writePcapng(sections: PcapngSection | PcapngSection[]): Buffer {
  return Buffer.concat((Array.isArray(sections) ? sections : [sections]).flatMap(sectionBlocks));
}

export function gzip(capture: Buffer): Buffer {
  return gzipSync(capture);
}

// ---- streaming --------------------------------------------------------------------------------

export interface CaptureWriter {
  /** Resolves at once unless the destination wants the writer to wait (backpressure). */
  write(rec: WriteRecord): Promise<void>;
  /** Ends the destination and resolves once it has flushed. */
  end(): Promise<void>;
}

function streamWriter(out: NodeJS.WritableStream, gz: boolean, header: Buffer, encode: (rec: WriteRecord) => Buffer): CaptureWriter {
  const compressor = gz ? createGzip() : null;
  compressor?.pipe(out);
  const target = compressor ?? out;
  target.write(header);
  return {
    async write(rec) {
      if (!target.write(encode(rec))) await once(target, 'drain');
    },
    async end() {
      target.end();
      await finished(out);
    },
  };
}

/** Classic pcap to `out`, one record per write; gzip compresses on the way. */
export function createPcapWriter(out: NodeJS.WritableStream, opts: PcapOptions & { gzip?: boolean } = {}): CaptureWriter {
  return streamWriter(out, opts.gzip ?? false, pcapHeader(opts), (rec) => pcapRecord(rec, opts));
}

/** One pcapng section to `out`: SHB, the IDBs, then an EPB per write (interface from the record). */
export function createPcapngWriter(
  out: NodeJS.WritableStream,
  opts: { byteOrder?: ByteOrder; interfaces?: PcapngInterfaceSpec[]; gzip?: boolean } = {},
): CaptureWriter {
  const order = opts.byteOrder ?? 'LE';
  const interfaces = opts.interfaces ?? [{ linkType: LINKTYPE_ETHERNET }];
  const header = Buffer.concat([shb(order), ...interfaces.map((f) => idb(f, order))]);
  return streamWriter(out, opts.gzip ?? false, header, (rec) => {
    const id = interfaceIdOf(rec, interfaces);
    return packetBlock('epb', rec, id, interfaces[id], order);
  });
}
