/** Decoded segments handed to the replay thread come out as they went in: every field of the TcpPacket,
 * the capture time, frame number and length on the wire, IPv4 and IPv6, in batches read from the ring's
 * memory or from an unaligned copy. */
import { newTcpPacket, type TcpPacket } from '../../src/decode/tcp-packet';
import { MAX_SEGMENT_BYTES, SegmentBatchReader, SegmentBatchWriter } from '../../src/replay/segment-batch';
import { prng } from '../support/prng';

interface Segment {
  pkt: TcpPacket;
  at: number;
  frame: number;
  wireLen: number;
}

/** A packet with every field set at random, its addresses somewhere inside a buffer of other bytes. */
function randomSegment(random: () => number): Segment {
  const int = (n: number): number => Math.floor(random() * n);
  const addrLen = random() < 0.5 ? 4 : 16;
  const bytes = Buffer.from(Array.from({ length: 80 }, () => int(256)));
  const pkt: TcpPacket = {
    ...newTcpPacket(),
    ipVersion: addrLen === 4 ? 4 : 6, bytes, srcOffset: int(20), dstOffset: 40 + int(20), addrLen,
    srcPort: int(65536), dstPort: int(65536), seq: int(2 ** 32), ack: int(2 ** 32), flags: int(0x200), window: int(65536),
    payloadLen: int(70000), payloadCaptured: int(70000), ipLen: int(70000),
    mss: random() < 0.3 ? -1 : int(65536), windowScale: random() < 0.3 ? -1 : int(15),
    sackPermitted: random() < 0.5, hasTimestamp: random() < 0.5, tsVal: int(2 ** 32), tsEcr: int(2 ** 32),
  };
  return { pkt, at: 1.7e9 + int(1e9) / 1e6, frame: int(2 ** 40), wireLen: int(70000) };
}

/** What the replay reads of a segment: its fields, the addresses as bytes rather than where they lie. */
function seen(s: Segment): object {
  const { bytes, srcOffset, dstOffset, ...fields } = s.pkt;
  return {
    ...fields, at: s.at, frame: s.frame, wireLen: s.wireLen,
    src: [...bytes.subarray(srcOffset, srcOffset + s.pkt.addrLen)], dst: [...bytes.subarray(dstOffset, dstOffset + s.pkt.addrLen)],
  };
}

function fillBatch(writer: SegmentBatchWriter, random: () => number): Segment[] {
  const sent: Segment[] = [];
  while (!writer.full) {
    const s = randomSegment(random);
    writer.add(s.pkt, s.at, s.frame, s.wireLen);
    sent.push(s);
  }
  return sent;
}

function readBatch(reader: SegmentBatchReader, batch: Buffer): object[] {
  const got: object[] = [];
  const pkt = newTcpPacket();
  reader.forEach(batch, pkt, (p, at, frame, wireLen) => { got.push(seen({ pkt: { ...p }, at, frame, wireLen })); });
  return got;
}

describe('segment batches', () => {
  it('give back every field of every segment, IPv4 and IPv6, in order', () => {
    const random = prng(11);
    const writer = new SegmentBatchWriter();
    const sent = fillBatch(writer, random);
    expect(sent.length).toBeGreaterThan(600);
    expect(writer.length).toBeLessThanOrEqual(writer.bytes.length);
    expect(readBatch(new SegmentBatchReader(), writer.bytes.subarray(0, writer.length))).toEqual(sent.map(seen));
  });

  it('read a batch in shared memory at any 8-byte offset, and a copy that is not aligned', () => {
    const random = prng(12);
    const writer = new SegmentBatchWriter(1000);
    const sent = fillBatch(writer, random).map(seen);
    const reader = new SegmentBatchReader();
    const shared = Buffer.from(new SharedArrayBuffer(4096));
    for (const offset of [0, 8, 1024, 3000]) {
      writer.bytes.copy(shared, offset, 0, writer.length);
      expect(readBatch(reader, shared.subarray(offset, offset + writer.length))).toEqual(sent);
    }
    const unaligned = Buffer.alloc(writer.length + 3).subarray(3);
    writer.bytes.copy(unaligned, 0, 0, writer.length);
    expect(unaligned.byteOffset & 7).not.toBe(0);
    expect(readBatch(reader, unaligned)).toEqual(sent);
  });

  it('are at least one segment', () => {
    expect(() => new SegmentBatchWriter(MAX_SEGMENT_BYTES - 1)).toThrow('has no room for a segment');
    const writer = new SegmentBatchWriter(MAX_SEGMENT_BYTES);
    expect(fillBatch(writer, prng(13))).toHaveLength(1);
  });
});
