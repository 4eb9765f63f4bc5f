/** Random input through the whole pipeline (analyzeCapture on a stream): only CaptureError may
 * escape, the promise settles, and the counts add up. */
import fc from 'fast-check';
import { analyzeCapture } from '../../src/analyze';
import { pcapHeader, type ByteOrder } from '../support/capture-writer';
import { byteOrderArb, captureLikeArb, chunkingArb, frameBytesArb, LINK_TYPES, pcapRecordsArb } from './support/arbitraries';
import { fcOptions, timeoutFor } from './support/fc-options';
import { violations } from './support/invariants';
import { chunksOf, runInput } from './support/outcome';
import { Readable } from 'node:stream';

describe('random input', () => {
  it('random bytes: a CaptureError or an analysis, never anything else', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), chunkingArb, async (bytes, chunking) => {
      const outcome = await runInput(Buffer.from(bytes), chunking);
      expect(violations(outcome)).toEqual([]);
    }), fcOptions(300));
  }, timeoutFor(300, 500));

  it('random bytes behind a valid pcap, pcapng or gzip header, and random records', async () => {
    await fc.assert(fc.asyncProperty(captureLikeArb, chunkingArb, async (bytes, chunking) => {
      const outcome = await runInput(bytes, chunking);
      expect(violations(outcome)).toEqual([]);
      // Past the magic, damage is reported, not thrown: only a bad version or a pcapng byte-order
      // magic cut or garbled in the first section header make the file unreadable.
      if (bytes[0] !== 0x1f && outcome.kind === 'capture-error') expect(['unsupported-format', 'not-a-capture']).toContain(outcome.error.code);
    }), fcOptions(600));
  }, timeoutFor(600, 2000));

  it('well-formed pcap records of random bytes are every one counted, whatever they hold', async () => {
    const arb = fc.tuple(byteOrderArb, fc.constantFrom(...LINK_TYPES), fc.boolean()).chain(([order, linkType, nanos]) =>
      fc.tuple(fc.constant({ order, linkType, nanos }), fc.array(fc.tuple(fc.nat(), frameBytesArb), { maxLength: 20 })));
    await fc.assert(fc.asyncProperty(arb, chunkingArb, async ({ 0: { order, linkType, nanos }, 1: records }, chunking) => {
      const bytes = Buffer.concat([pcapHeader({ byteOrder: order, linkType, nanos }), ...records.map(([ts, data]) => pcapRecord(order, ts, data))]);
      const a = await analyzeCapture(Readable.from(chunksOf(bytes, chunking)));
      expect([a.packets, a.issues]).toEqual([records.length, []]);
      expect(a.tcpPackets + Object.values(a.skipped).reduce<number>((n, c) => n + (c ?? 0), 0)).toBe(records.length);
    }), fcOptions(300));
  }, timeoutFor(300, 1000));

  it('lying pcap record lengths stop or skip with an issue, never lose the records before them', async () => {
    const arb = byteOrderArb.chain((order) => fc.tuple(fc.constant(order), pcapRecordsArb(order)));
    await fc.assert(fc.asyncProperty(arb, chunkingArb, async ([order, records], chunking) => {
      const bytes = Buffer.concat([pcapHeader({ byteOrder: order }), ...records]);
      const outcome = await runInput(bytes, chunking);
      expect(violations(outcome)).toEqual([]);
      if (outcome.kind !== 'ok') throw new Error(`expected an analysis, got ${outcome.kind}`);
      // Records before the first one whose caplen differs from its bytes are all there.
      let honest = 0;
      while (honest < records.length && readU32(records[honest], 8, order) === records[honest].length - 16) honest++;
      expect(outcome.analysis.packets).toBeGreaterThanOrEqual(honest);
    }), fcOptions(300));
  }, timeoutFor(300, 1000));
});

function readU32(b: Buffer, at: number, order: ByteOrder): number {
  return order === 'LE' ? b.readUInt32LE(at) : b.readUInt32BE(at);
}

function pcapRecord(order: ByteOrder, ts: number, data: Buffer): Buffer {
  const h = Buffer.alloc(16);
  const w = (v: number, at: number): void => { if (order === 'LE') h.writeUInt32LE(v >>> 0, at); else h.writeUInt32BE(v >>> 0, at); };
  w(ts, 0);
  w(ts % 1_000_000, 4);
  w(data.length, 8);
  w(data.length, 12);
  return Buffer.concat([h, data]);
}
