import { u32le } from '../../byte-fields';
import type { Delivery, FormatReader } from '../delivery';
import { CaptureError } from '../record';
import {
  BLOCK_HEADER_BYTES, BYTE_ORDER_MAGIC, BYTE_ORDER_MAGIC_SWAPPED, blockName, EPB, IDB, MIN_BLOCK_BYTES, NON_PACKET_FRAME_BLOCKS, PB, SHB, SPB,
} from './blocks';
import { ByteGatherer } from './byte-gatherer';
import { BIG_ENDIAN, LITTLE_ENDIAN, type ByteOrderReader } from './byte-order';
import { readInterface, type PcapngInterface } from './interface-block';
import { counterToSeconds } from './timestamp';

/** Fixed part of EPB and PB before the packet data. */
const PACKET_FIELDS_BYTES = 28;
const SPB_FIELDS_BYTES = 12;

/** pcapng, streaming: holds only the block being read. Damage becomes an issue, never an exception;
 * only a first section header that is not pcapng at all throws. */
export class PcapngReader implements FormatReader {
  private readonly gather = new ByteGatherer();
  private order: ByteOrderReader = LITTLE_ENDIAN;
  private interfaces: PcapngInterface[] = [];
  private blockOffset = 0;
  private blockType = 0;
  /** Total length of the block being gathered; 0 while its 12-byte header still is. */
  private blockLength = 0;
  private stopped = false;
  private fed = 0;

  constructor(
    private readonly out: Delivery,
    private readonly maxBlockBytes: number,
  ) {
    this.gather.begin(BLOCK_HEADER_BYTES);
  }

  push(chunk: Buffer): boolean {
    this.fed += chunk.length;
    let pos = 0;
    for (;;) {
      pos = this.gather.take(chunk, pos);
      if (!this.gather.full) return true;
      const ok = this.blockLength === 0 ? this.readBlockHeader() : this.readBlock();
      if (!ok) {
        this.stopped = true;
        return false;
      }
    }
  }

  get bytes(): number {
    return this.stopped ? this.blockOffset : this.fed;
  }

  end(): void {
    const have = this.gather.filled;
    if (this.stopped || have === 0) return;
    if (this.out.info.sections === 0) {
      this.out.issue('truncated-file', 0, `file ends after ${have} bytes, inside the first pcapng section header`, undefined);
      return;
    }
    const type = have >= 4 ? this.order.u32(this.gather.buffer, this.gather.base) : -1;
    const packet = type === EPB || type === PB || type === SPB;
    const size = this.blockLength > 0 ? ` of ${this.blockLength}` : '';
    this.out.issue('truncated-record', this.blockOffset,
      `capture ends inside the ${type < 0 ? 'next' : blockName(type)} block at offset ${this.blockOffset} (${have}${size} bytes present)`,
      packet ? this.out.frames + 1 : this.out.lastFrame);
  }

  /** Type and length; a section header also sets the byte order, which its length is written in. */
  private readBlockHeader(): boolean {
    const b = this.gather.buffer;
    const o = this.gather.base;
    if (u32le(b, o) === SHB && !this.readByteOrder(u32le(b, o + 8))) return false;
    const type = this.order.u32(b, o);
    const length = this.order.u32(b, o + 4);
    const why = length % 4 !== 0 ? 'not a multiple of 4'
      : length < BLOCK_HEADER_BYTES ? `less than ${BLOCK_HEADER_BYTES}`
        : length > this.maxBlockBytes ? `more than the maximum of ${this.maxBlockBytes}` : '';
    if (why) return this.badLength(`${this.where(type)} has total length ${length}, ${why}`);
    this.blockType = type;
    this.blockLength = length;
    this.gather.grow(length);
    return true;
  }

  private readByteOrder(magicLE: number): boolean {
    if (magicLE === BYTE_ORDER_MAGIC) this.order = LITTLE_ENDIAN;
    else if (magicLE === BYTE_ORDER_MAGIC_SWAPPED) this.order = BIG_ENDIAN;
    else {
      const found = `byte-order magic 0x${magicLE.toString(16).padStart(8, '0')} (little-endian reading)`;
      if (this.out.info.sections === 0) {
        throw new CaptureError('not-a-capture', 8, `not a capture file: pcapng section header with ${found}`);
      }
      this.out.issue('unsupported-block', this.blockOffset, `${this.where(SHB)} has ${found}; reading stopped`, this.out.lastFrame);
      return false;
    }
    return true;
  }

  private readBlock(): boolean {
    const b = this.gather.buffer;
    const o = this.gather.base;
    const length = this.blockLength;
    const type = this.blockType;
    const trailing = this.order.u32(b, o + length - 4);
    if (trailing !== length) {
      return this.badLength(`${this.where(type)} has total length ${length} but trailing length ${trailing}`);
    }
    const min = MIN_BLOCK_BYTES.get(type) ?? BLOCK_HEADER_BYTES;
    if (length < min) return this.badLength(`${this.where(type)} has total length ${length}, less than its minimum of ${min}`);
    const u32 = this.order.u32;
    let ok = true;
    switch (type) {
      case SHB: ok = this.readSection(b, o); break;
      case IDB: this.addInterface(readInterface(b, o, length, this.order)); break;
      case EPB: ok = this.readPacket(b, o, u32(b, o + 8)); break;
      case PB: ok = this.readPacket(b, o, this.order.u16(b, o + 8)); break;
      case SPB: ok = this.readSimplePacket(b, o); break;
      default: if (NON_PACKET_FRAME_BLOCKS.has(type)) this.out.skipFrame();
    }
    this.blockOffset += length;
    this.blockLength = 0;
    this.gather.begin(BLOCK_HEADER_BYTES);
    return ok;
  }

  private readSection(b: Buffer, o: number): boolean {
    const major = this.order.u16(b, o + 12);
    if (major !== 1) {
      const message = `pcapng version ${major}.${this.order.u16(b, o + 14)} is not supported`;
      if (this.out.info.sections === 0) throw new CaptureError('unsupported-format', 12, message);
      this.out.issue('unsupported-block', this.blockOffset, `${this.where(SHB)}: ${message}; reading stopped`, this.out.lastFrame);
      return false;
    }
    if (this.out.info.sections === 0) this.out.info.byteOrder = this.order.name;
    this.out.info.sections++;
    this.interfaces = [];
    return true;
  }

  private addInterface(iface: PcapngInterface): void {
    this.interfaces.push(iface);
    this.out.info.linkTypes.push(iface.linkType);
  }

  /** EPB and obsolete PB share the layout after the interface id: ts high, ts low, caplen, orig len, data. */
  private readPacket(b: Buffer, o: number, interfaceId: number): boolean {
    const u32 = this.order.u32;
    const caplen = u32(b, o + 20);
    if (!this.fits(PACKET_FIELDS_BYTES, caplen)) return false;
    const iface = this.interfaces[interfaceId];
    if (iface === undefined) return this.unknownInterface(interfaceId);
    const r = this.out.record;
    r.ts = counterToSeconds(u32(b, o + 12), u32(b, o + 16), iface.scale);
    r.linkType = iface.linkType;
    r.bytes = b;
    r.start = o + PACKET_FIELDS_BYTES;
    r.caplen = caplen;
    r.origLen = u32(b, o + 24);
    r.offset = this.blockOffset;
    this.out.deliver();
    return true;
  }

  /** SPB: interface 0, no timestamp (we keep the previous record's), caplen = min(orig len, snaplen). */
  private readSimplePacket(b: Buffer, o: number): boolean {
    const iface = this.interfaces[0];
    if (iface === undefined) return this.unknownInterface(0);
    const origLen = this.order.u32(b, o + 8);
    const caplen = iface.snaplen !== 0 && origLen > iface.snaplen ? iface.snaplen : origLen;
    if (!this.fits(SPB_FIELDS_BYTES, caplen)) return false;
    const r = this.out.record;
    r.linkType = iface.linkType;
    r.bytes = b;
    r.start = o + SPB_FIELDS_BYTES;
    r.caplen = caplen;
    r.origLen = origLen;
    r.offset = this.blockOffset;
    this.out.deliver();
    return true;
  }

  private fits(fieldsBytes: number, caplen: number): boolean {
    if (fieldsBytes + caplen + 4 <= this.blockLength) return true;
    return this.badLength(`${this.where(this.blockType)} has total length ${this.blockLength}, too small for ${caplen} captured bytes`);
  }

  /** Wireshark stops reading at such a block ("interface index N is not less than section interface
   * count M"), so it never becomes a frame there: we skip it without a frame number and read on. */
  private unknownInterface(interfaceId: number): boolean {
    this.out.issue('unknown-interface', this.blockOffset,
      `${this.where(this.blockType)} names interface ${interfaceId}, but the section describes ${this.interfaces.length}; block skipped`,
      this.out.lastFrame);
    return true;
  }

  private where(type: number): string {
    return `${blockName(type)} block at offset ${this.blockOffset}`;
  }

  private badLength(what: string): boolean {
    this.out.issue('bad-block-length', this.blockOffset, `${what}; reading stopped`, this.out.lastFrame);
    return false;
  }
}
