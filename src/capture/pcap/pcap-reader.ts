import { EventEmitter } from 'node:events';
import { parse, type GlobalHeader, type Packet, type PacketHeader } from 'pcap-parser';
import type { Delivery, FormatReader } from '../delivery';
import { CaptureError } from '../record';

const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
/** Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD: larger records are corrupt unless the snaplen says otherwise. */
const WIRESHARK_MAX_RECORD = 262144;
/** libpcap's LT_LINKTYPE: the upper bits carry FCS information. */
const LINKTYPE_MASK = 0x03ffffff;
/** pcap-parser knows only the microsecond magics; nanosecond files get these, same byte order. */
const MICROSECOND_MAGIC = { LE: Buffer.from('d4c3b2a1', 'hex'), BE: Buffer.from('a1b2c3d4', 'hex') };

/** Stands in for the stream pcap-parser wants. We emit each chunk ourselves, synchronously, so the
 * records reach the sink before the next chunk is read and a stop takes effect at once. */
class ParserFeed extends EventEmitter {
  pause(): this {
    return this;
  }

  resume(): this {
    return this;
  }
}

/** Classic pcap through pcap-parser; adds offsets, limits and truncation reports it lacks. */
export class PcapReader implements FormatReader {
  private readonly feed = new ParserFeed();
  private readonly fracPerSecond: number;
  /** Offset of the next record header. */
  private pos = 0;
  private fed = 0;
  /** Bytes handed to pcap-parser so far. */
  private emitted = 0;
  /** Chunks held back while a record body is incomplete (see push). */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Captured length announced by the header being waited on, -1 between records. */
  private pendingCaplen = -1;
  private limit = 0;
  private linkType = 0;
  private headerSeen = false;
  private stopped = false;
  private failure: CaptureError | null = null;

  constructor(
    private readonly out: Delivery,
    private readonly maxRecordBytes: number,
    private readonly byteOrder: 'LE' | 'BE',
    private readonly nanos: boolean,
  ) {
    this.fracPerSecond = nanos ? 1e9 : 1e6;
    parse(this.feed)
      .on('globalHeader', (h) => this.onGlobalHeader(h))
      .on('packetHeader', (h) => this.onPacketHeader(h))
      .on('packet', (p) => this.onPacket(p))
      .on('error', (e) => this.onError(e));
  }

  /** The first chunk holds at least the 4 magic bytes (read-capture sniffed them).
   * pcap-parser copies everything it holds into a new buffer on every chunk, so a record body
   * arriving in k chunks would cost k copies of it (quadratic: seconds for a 4 MiB record in 4 KiB
   * chunks). While a body is incomplete we hold the chunks back and hand them over in one piece. */
  push(chunk: Buffer): boolean {
    const first = this.fed === 0;
    this.fed += chunk.length;
    if (this.pendingCaplen >= 0) {
      const missing = this.pos + RECORD_HEADER_BYTES + this.pendingCaplen - this.emitted;
      if (this.heldBytes + chunk.length < missing) {
        this.held.push(chunk);
        this.heldBytes += chunk.length;
        return true;
      }
      if (this.held.length > 0) {
        chunk = Buffer.concat([...this.held, chunk], this.heldBytes + chunk.length);
        this.held = [];
        this.heldBytes = 0;
      }
    }
    this.emitted += chunk.length;
    if (first && this.nanos) {
      this.feed.emit('data', MICROSECOND_MAGIC[this.byteOrder]);
      chunk = chunk.subarray(4);
    }
    if (chunk.length > 0) this.feed.emit('data', chunk);
    if (this.failure) throw this.failure;
    return !this.stopped;
  }

  get bytes(): number {
    return this.stopped ? this.pos : this.fed;
  }

  end(): void {
    if (this.stopped) return;
    if (!this.headerSeen) {
      const message = `file ends after ${this.fed} bytes, inside the ${FILE_HEADER_BYTES}-byte pcap file header`;
      this.out.issue('truncated-file', 0, message, undefined);
      return;
    }
    const left = this.fed - this.pos;
    if (left === 0) return;
    const frame = this.out.frames + 1;
    const where = `record ${frame} at offset ${this.pos}`;
    this.out.issue('truncated-record', this.pos, this.pendingCaplen < 0
      ? `capture ends inside the header of ${where} (${left} of ${RECORD_HEADER_BYTES} bytes present)`
      : `capture ends inside ${where}: ${this.pendingCaplen} bytes announced, ${left - RECORD_HEADER_BYTES} present`, frame);
  }

  private onGlobalHeader(h: GlobalHeader): void {
    this.headerSeen = true;
    this.pos = FILE_HEADER_BYTES;
    this.linkType = h.linkLayerType & LINKTYPE_MASK;
    this.out.info.linkTypes.push(this.linkType);
    this.limit = Math.min(Math.max(h.snapshotLength, WIRESHARK_MAX_RECORD), this.maxRecordBytes);
  }

  private onPacketHeader(h: PacketHeader): void {
    if (this.stopped) return;
    if (h.capturedLength > this.limit) {
      // pcap-parser would buffer until that many bytes arrive: the rest of the file, or forever.
      this.stopped = true;
      const frame = this.out.frames + 1;
      const claim = `record ${frame} at offset ${this.pos} claims ${h.capturedLength} captured bytes`;
      this.out.issue('oversized-record', this.pos, `${claim}, more than the maximum of ${this.limit}; reading stopped`, frame);
      return;
    }
    this.pendingCaplen = h.capturedLength;
  }

  private onPacket(p: Packet): void {
    if (this.stopped) return;
    const h = p.header;
    const r = this.out.record;
    r.ts = h.timestampSeconds + h.timestampMicroseconds / this.fracPerSecond;
    r.linkType = this.linkType;
    r.data = p.data;
    r.origLen = h.originalLength;
    r.offset = this.pos;
    this.pos += RECORD_HEADER_BYTES + h.capturedLength;
    this.pendingCaplen = -1;
    this.out.deliver();
  }

  /** After our sniffing, the parser only rejects the file header (an unsupported version). */
  private onError(e: Error): void {
    this.stopped = true;
    this.failure = new CaptureError('unsupported-format', 4, `unsupported pcap file: ${e.message}`);
  }
}
