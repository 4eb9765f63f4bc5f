/** Decoded TCP segments in batches of bytes, from the main thread (which reads and decodes the capture)
 * to the replay thread (which replays them) through a byte ring: every field of a TcpPacket, its capture
 * time, frame number and length on the wire, and its two addresses. The replay thread's TcpPacket points
 * into the batch for the addresses, so nothing is copied out of it per segment. */
import type { SegmentSink } from '../analyze';
import type { TcpPacket } from '../decode/tcp-packet';

// A segment's 32-bit words. Capture time and frame number (which may pass 2^32) as doubles:
const AT = 0;
const FRAME = 2;
const SEQ = 4;
const ACK = 5;
const TS_VAL = 6;
const TS_ECR = 7;
/** Source port | destination port << 16. */
const PORTS = 8;
/** Window | flags << 16. */
const WINDOW_FLAGS = 9;
const PAYLOAD_LEN = 10;
const PAYLOAD_CAPTURED = 11;
const IP_LEN = 12;
const WIRE_LEN = 13;
/** Signed: -1 when absent. */
const MSS = 14;
const WINDOW_SCALE = 15;
const BITS = 16;
/** Then the source address and the destination address, 4 or 16 bytes each; a segment takes a multiple
 * of 8 bytes, so that the next one's doubles are aligned. */
const ADDRESSES_AT = 17 * 4;

const IPV6 = 1;
const SACK_PERMITTED = 2;
const HAS_TIMESTAMP = 4;

/** Bytes of a batch at most: the ring is touched once per some 800 segments. */
const SEGMENT_BATCH_BYTES = 64 << 10;
/** The most bytes a segment takes (IPv6). */
export const MAX_SEGMENT_BYTES = (ADDRESSES_AT + 32 + 7) & ~7;

export class SegmentBatchWriter {
  /** The batch is bytes 0 to `length`. */
  readonly bytes: Buffer;
  length = 0;
  private readonly f64: Float64Array;
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;

  /** Batches of at most `most` bytes (at least one segment's). */
  constructor(most = SEGMENT_BATCH_BYTES) {
    const size = Math.min(most, SEGMENT_BATCH_BYTES) & ~7;
    if (size < MAX_SEGMENT_BYTES) throw new Error(`a segment batch of ${most} bytes has no room for a segment (${MAX_SEGMENT_BYTES})`);
    this.bytes = Buffer.allocUnsafeSlow(size);
    this.f64 = new Float64Array(this.bytes.buffer, 0, size >> 3);
    this.u32 = new Uint32Array(this.bytes.buffer, 0, size >> 2);
    this.i32 = new Int32Array(this.bytes.buffer, 0, size >> 2);
  }

  /** No room for one more segment of any kind. */
  get full(): boolean {
    return this.length + MAX_SEGMENT_BYTES > this.bytes.length;
  }

  /** Adds a segment; check `full` first. */
  add(pkt: TcpPacket, at: number, frame: number, wireLen: number): void {
    const start = this.length;
    const w = start >> 2;
    const u32 = this.u32;
    this.f64[(w + AT) >> 1] = at;
    this.f64[(w + FRAME) >> 1] = frame;
    u32[w + SEQ] = pkt.seq;
    u32[w + ACK] = pkt.ack;
    u32[w + TS_VAL] = pkt.tsVal;
    u32[w + TS_ECR] = pkt.tsEcr;
    u32[w + PORTS] = pkt.srcPort | (pkt.dstPort << 16);
    u32[w + WINDOW_FLAGS] = pkt.window | (pkt.flags << 16);
    u32[w + PAYLOAD_LEN] = pkt.payloadLen;
    u32[w + PAYLOAD_CAPTURED] = pkt.payloadCaptured;
    u32[w + IP_LEN] = pkt.ipLen;
    u32[w + WIRE_LEN] = wireLen;
    this.i32[w + MSS] = pkt.mss;
    this.i32[w + WINDOW_SCALE] = pkt.windowScale;
    u32[w + BITS] = (pkt.ipVersion === 6 ? IPV6 : 0) | (pkt.sackPermitted ? SACK_PERMITTED : 0) | (pkt.hasTimestamp ? HAS_TIMESTAMP : 0);
    const len = pkt.addrLen;
    const b = this.bytes;
    const src = pkt.bytes;
    let p = start + ADDRESSES_AT;
    for (let i = 0; i < len; i++) b[p++] = src[pkt.srcOffset + i];
    for (let i = 0; i < len; i++) b[p++] = src[pkt.dstOffset + i];
    this.length = (p + 7) & ~7;
  }
}

/** Views of a batch, made again only when the batch is in other memory. */
export class SegmentBatchReader {
  private bytes: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  private f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private u32: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private i32: Int32Array<ArrayBufferLike> = new Int32Array(0);

  /** Fills `pkt` with each segment of `batch` in turn and gives it to `take`; `pkt` points into the batch
   * for its addresses. */
  forEach(batch: Buffer, pkt: TcpPacket, take: SegmentSink): void {
    // A batch put in several records comes back as a copy that may not be aligned for doubles.
    const aligned = (batch.byteOffset & 7) === 0 ? batch : alignedCopy(batch);
    if (aligned.buffer !== this.bytes.buffer) this.view(aligned.buffer);
    const base = aligned.byteOffset - this.bytes.byteOffset;
    const u32 = this.u32;
    for (let start = base; start < base + aligned.length;) {
      const w = start >> 2;
      const bits = u32[w + BITS];
      const len = (bits & IPV6) !== 0 ? 16 : 4;
      const ports = u32[w + PORTS];
      const windowFlags = u32[w + WINDOW_FLAGS];
      pkt.ipVersion = len === 16 ? 6 : 4;
      pkt.bytes = this.bytes;
      pkt.srcOffset = start + ADDRESSES_AT;
      pkt.dstOffset = start + ADDRESSES_AT + len;
      pkt.addrLen = len;
      pkt.srcPort = ports & 0xffff;
      pkt.dstPort = ports >>> 16;
      pkt.seq = u32[w + SEQ];
      pkt.ack = u32[w + ACK];
      pkt.flags = windowFlags >>> 16;
      pkt.window = windowFlags & 0xffff;
      pkt.payloadLen = u32[w + PAYLOAD_LEN];
      pkt.payloadCaptured = u32[w + PAYLOAD_CAPTURED];
      pkt.ipLen = u32[w + IP_LEN];
      pkt.mss = this.i32[w + MSS];
      pkt.windowScale = this.i32[w + WINDOW_SCALE];
      pkt.sackPermitted = (bits & SACK_PERMITTED) !== 0;
      pkt.hasTimestamp = (bits & HAS_TIMESTAMP) !== 0;
      pkt.tsVal = u32[w + TS_VAL];
      pkt.tsEcr = u32[w + TS_ECR];
      take(pkt, this.f64[(w + AT) >> 1], this.f64[(w + FRAME) >> 1], u32[w + WIRE_LEN]);
      start = (start + ADDRESSES_AT + 2 * len + 7) & ~7;
    }
  }

  /** Views of all of `memory` (the ring's, or a copy's). */
  private view(memory: ArrayBufferLike): void {
    this.bytes = Buffer.from(memory);
    this.f64 = new Float64Array(memory, 0, memory.byteLength >> 3);
    this.u32 = new Uint32Array(memory, 0, memory.byteLength >> 2);
    this.i32 = new Int32Array(memory, 0, memory.byteLength >> 2);
  }
}

function alignedCopy(batch: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(batch.length);
  batch.copy(copy);
  return copy;
}
