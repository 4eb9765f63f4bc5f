import { u16be, u16le, u32be, u32le } from '../../byte-fields';
import type { Delivery, FormatReader } from '../delivery';
import { ByteGatherer } from '../pcapng/byte-gatherer';
import { CaptureError } from '../record';

const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
/** Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD: larger records are corrupt unless the snaplen says otherwise. */
const WIRESHARK_MAX_RECORD = 262144;
/** libpcap's LT_LINKTYPE: the upper bits carry FCS information. */
const LINKTYPE_MASK = 0x03ffffff;
/** libpcap and Wireshark read every 2.x file; the minor number changed nothing they still honour. */
const PCAP_MAJOR_VERSION = 2;

/**
 * Classic pcap (libpcap 2.x: µs or ns, either byte order), streaming: a record inside one chunk is
 * delivered where it lies in it (nothing allocated per record), one spanning chunks is gathered once.
 * Our own record loop, not pcap-parser's: that library allocates two objects, three Buffer views and
 * three events per record, and read (a) of the benchmark about 10x slower than this loop
 * (see test/bench/NOTES.md).
 */
export class PcapReader implements FormatReader {
  private readonly gather = new ByteGatherer();
  private readonly fracPerSecond: number;
  private readonly le: boolean;
  /** Offset of the unit being gathered: the file header, then each record header. */
  private pos = 0;
  private fed = 0;
  /** Captured length announced by the header being completed, -1 while a record header is gathered. */
  private pendingCaplen = -1;
  private tsSeconds = 0;
  private tsFraction = 0;
  private origLen = 0;
  private limit = 0;
  private linkType = 0;
  private headerSeen = false;
  private stopped = false;

  constructor(
    private readonly out: Delivery,
    private readonly maxRecordBytes: number,
    byteOrder: 'LE' | 'BE',
    nanos: boolean,
  ) {
    this.fracPerSecond = nanos ? 1e9 : 1e6;
    this.le = byteOrder === 'LE';
    this.gather.begin(FILE_HEADER_BYTES);
  }

  /** The first chunk holds at least the 4 magic bytes (read-capture sniffed them). */
  push(chunk: Buffer): boolean {
    this.fed += chunk.length;
    let at = 0;
    while (!this.stopped) {
      if (this.pendingCaplen < 0 && this.headerSeen && this.gather.filled === 0) {
        at = this.wholeRecords(chunk, at);
        if (this.stopped) break;
      }
      at = this.gather.take(chunk, at);
      if (!this.gather.full) return true;
      const b = this.gather.buffer;
      const base = this.gather.base;
      if (!this.headerSeen) {
        this.readFileHeader();
        this.gather.begin(RECORD_HEADER_BYTES);
      } else if (this.pendingCaplen < 0) {
        if (this.readRecordHeader(b, base)) this.gather.begin(this.pendingCaplen);
      } else {
        this.deliverRecord(b, base);
        this.gather.begin(RECORD_HEADER_BYTES);
      }
    }
    return false;
  }

  /** The fast path: records lying whole inside `chunk` from `at`, delivered as views of it. Returns
   * where the first record that does not fit starts (the gatherer takes it from there). */
  private wholeRecords(chunk: Buffer, at: number): number {
    const end = chunk.length;
    while (at + RECORD_HEADER_BYTES <= end) {
      const body = at + RECORD_HEADER_BYTES;
      const caplen = this.read32(chunk, at + 8);
      if (body + caplen > end || !this.readRecordHeader(chunk, at)) break;
      this.deliverRecord(chunk, body);
      at = body + caplen;
    }
    return at;
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

  /** Reads the file header, gathered whole. */
  private readFileHeader(): void {
    const b = this.gather.buffer;
    const at = this.gather.base;
    const u16 = (off: number): number => (this.le ? u16le(b, at + off) : u16be(b, at + off));
    const major = u16(4);
    if (major !== PCAP_MAJOR_VERSION) {
      this.stopped = true;
      throw new CaptureError('unsupported-format', 4, `unsupported pcap file: unsupported version ${major}.${u16(6)} (only 2.x is defined)`);
    }
    this.headerSeen = true;
    this.pos = FILE_HEADER_BYTES;
    this.linkType = this.read32(b, at + 20) & LINKTYPE_MASK;
    this.out.info.linkTypes.push(this.linkType);
    this.limit = Math.min(Math.max(this.read32(b, at + 16), WIRESHARK_MAX_RECORD), this.maxRecordBytes);
  }

  private read32(b: Buffer, at: number): number {
    return this.le ? u32le(b, at) : u32be(b, at);
  }

  /** Reads the record header at `b[at]`; false when the record is refused (reading stops). */
  private readRecordHeader(b: Buffer, at: number): boolean {
    const caplen = this.read32(b, at + 8);
    if (caplen > this.limit) {
      // Waiting for that many bytes would buffer the rest of the file, or forever.
      this.stopped = true;
      const frame = this.out.frames + 1;
      const claim = `record ${frame} at offset ${this.pos} claims ${caplen} captured bytes`;
      this.out.issue('oversized-record', this.pos, `${claim}, more than the maximum of ${this.limit}; reading stopped`, frame);
      return false;
    }
    this.tsSeconds = this.read32(b, at);
    this.tsFraction = this.read32(b, at + 4);
    this.origLen = this.read32(b, at + 12);
    this.pendingCaplen = caplen;
    return true;
  }

  /** Delivers the record whose body starts at `b[at]` (its header was just read). */
  private deliverRecord(b: Buffer, at: number): void {
    const r = this.out.record;
    const caplen = this.pendingCaplen;
    r.ts = this.tsSeconds + this.tsFraction / this.fracPerSecond;
    r.linkType = this.linkType;
    r.bytes = b;
    r.start = at;
    r.caplen = caplen;
    r.origLen = this.origLen;
    r.offset = this.pos;
    this.pos += RECORD_HEADER_BYTES + caplen;
    this.pendingCaplen = -1;
    this.out.deliver();
  }
}
