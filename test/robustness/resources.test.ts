/** Bounded memory and linear time on hostile lengths, and odd-but-valid captures counted in full. */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { analyzeCapture, type Analysis } from '../../src/analyze';
import { block, idb, pcapHeader, shb, writePcap, writePcapng, type WriteRecord } from '../support/capture-writer';
import { LINKTYPE, tcpFrame } from '../support/packet-builder';
import { TcpScript } from '../support/tcp-script';
import { chunksOf } from './support/outcome';

const MiB = 1024 * 1024;
const FOUR_GB = 0xfffffffc;

interface Measured {
  analysis: Analysis;
  ms: number;
  /** Peak growth of Buffer memory and of the resident set while reading, sampled after every chunk. */
  peakArrayBuffers: number;
  peakRss: number;
}

async function measure(bytes: Buffer, chunkSize: number): Promise<Measured> {
  const before = process.memoryUsage();
  let peakArrayBuffers = 0;
  let peakRss = 0;
  const t0 = performance.now();
  const analysis = await analyzeCapture(Readable.from(chunksOf(bytes, { kind: 'fixed', size: chunkSize })), {
    onProgress: () => {
      const m = process.memoryUsage();
      peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers - before.arrayBuffers);
      peakRss = Math.max(peakRss, m.rss - before.rss);
    },
  });
  return { analysis, ms: performance.now() - t0, peakArrayBuffers, peakRss };
}

/** The best of three: scheduling noise only ever adds time. */
async function fastest(bytes: Buffer, chunkSize: number): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, (await measure(bytes, chunkSize)).ms);
  return best;
}

const frame = tcpFrame({ flags: 'PA', payload: 100 });
/** A megabyte that follows the lie, so a reader that believed it would have to keep reading. */
const TAIL = Buffer.alloc(MiB, 0x5a);

describe('a length claiming 4 GB', () => {
  const u32le = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };

  it.each([
    ['a pcapng packet block', Buffer.concat([shb(), idb({ linkType: 1 }), writePcapng({ blocks: [{ ts: 1, data: frame }] }).subarray(28 + 20), u32le(6), u32le(FOUR_GB), TAIL]), 'bad-block-length', 1],
    ['the first pcapng section header', Buffer.concat([Buffer.from('0a0d0d0a', 'hex'), u32le(FOUR_GB), u32le(0x1a2b3c4d), TAIL]), 'bad-block-length', 0],
    ['an unknown pcapng block', Buffer.concat([shb(), idb({ linkType: 1 }), u32le(0xbad), u32le(FOUR_GB), TAIL]), 'bad-block-length', 0],
    ['a pcapng simple packet (snaplen 0, original length 4 GB)', Buffer.concat([shb(), idb({ linkType: 1 }), block(3, Buffer.concat([u32le(FOUR_GB), frame])), TAIL]), 'bad-block-length', 0],
    ['a pcap record', Buffer.concat([writePcap([{ ts: 1, data: frame }]), u32le(2), u32le(0), u32le(FOUR_GB), u32le(FOUR_GB), TAIL]), 'oversized-record', 1],
    ['a pcap record under a 4 GB snaplen', Buffer.concat([pcapHeader({ snaplen: 0xffffffff }), u32le(2), u32le(0), u32le(FOUR_GB), u32le(FOUR_GB), TAIL]), 'oversized-record', 0],
  ])('in %s stops reading there, allocating next to nothing', async (_name, bytes, code, packets) => {
    const m = await measure(bytes, 65536);
    expect([m.analysis.packets, m.analysis.issues.map((i) => i.code)]).toEqual([packets, [code]]);
    expect(m.peakArrayBuffers).toBeLessThan(8 * MiB);
    expect(m.peakRss).toBeLessThan(64 * MiB);
  });

  it('a pcapng block of the largest accepted size (16 MiB) in a short file costs at most that much', async () => {
    const bytes = Buffer.concat([shb(), idb({ linkType: 1 }), u32le(6), u32le(16 * MiB), TAIL.subarray(0, 4096)]);
    const m = await measure(bytes, 1024);
    expect(m.analysis.issues.map((i) => i.code)).toEqual(['truncated-record']);
    expect(m.peakArrayBuffers).toBeLessThan(16 * MiB + 8 * MiB);
  });

  it('a pcap record of 16 MiB under a big snaplen, in a short file, holds no more than the file', async () => {
    const bytes = Buffer.concat([pcapHeader({ snaplen: 0xffffffff }), u32le(2), u32le(0), u32le(16 * MiB - 1), u32le(16 * MiB - 1), TAIL]);
    const m = await measure(bytes, 4096);
    expect(m.analysis.issues.map((i) => i.code)).toEqual(['truncated-record']);
    expect(m.peakArrayBuffers).toBeLessThan(3 * TAIL.length + 8 * MiB);
  });
});

describe('time grows linearly with the input', () => {
  /** 8 times the input may take at most 24 times as long: quadratic work would take 64. */
  async function expectLinear(small: Buffer, big: Buffer, chunkSize: number): Promise<void> {
    await fastest(small, chunkSize); // warm up
    const t1 = await fastest(small, chunkSize);
    const t8 = await fastest(big, chunkSize);
    const ratio = t8 / Math.max(t1, 1);
    if (ratio >= 24) throw new Error(`8 times the input took ${ratio.toFixed(1)} times as long (${t1.toFixed(1)} ms, then ${t8.toFixed(1)} ms)`);
  }

  const oneRecord = (size: number): Buffer => writePcap([{ ts: 1, data: Buffer.alloc(size) }], { snaplen: 0xffffffff });

  it('pcap: one big record arriving in 4 KiB chunks (copying it once per chunk would be quadratic)', async () => {
    await expectLinear(oneRecord(MiB), oneRecord(8 * MiB), 4096);
  }, 60_000);

  it('pcap, gzip: one big record, decompressed in zlib-sized chunks', async () => {
    await expectLinear(gzipSync(oneRecord(MiB), { level: 1 }), gzipSync(oneRecord(8 * MiB), { level: 1 }), 4096);
  }, 60_000);

  it('pcapng: one big block arriving in 4 KiB chunks', async () => {
    const oneBlock = (size: number): Buffer => writePcapng({ blocks: [{ ts: 1, data: Buffer.alloc(size) }] });
    await expectLinear(oneBlock(MiB), oneBlock(8 * MiB), 4096);
  }, 60_000);

  it('many small records in 1 KiB chunks', async () => {
    const records = (n: number): WriteRecord[] => Array.from({ length: n }, (_, i) => ({ ts: 1 + i / 1000, data: frame }));
    await expectLinear(writePcap(records(600)), writePcap(records(4800)), 1024);
  }, 60_000);

  it('a port scan: one SYN per connection', async () => {
    const scan = (n: number): Buffer => writePcap(Array.from({ length: n }, (_, i) => ({
      ts: 1 + i / 1000, data: tcpFrame({ src: '192.0.2.1', dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, sport: 50000, dport: 1 + (i % 1024), flags: 'S' }),
    })));
    await expectLinear(scan(500), scan(4000), 65536);
  }, 60_000);
});

describe('odd but valid captures are counted, not dropped', () => {
  /** A connection, one packet captured twice, and a packet dated before its predecessors. */
  function records(): WriteRecord[] {
    const r = new TcpScript().handshake().data('client', 100).data('server', 200).at(1).fin('client').ack('server').fin('server').ack('client').records;
    const dup = r[3];
    const out = [...r.slice(0, 4), { ...dup }, { ...dup }, ...r.slice(4)];
    out[6] = { ...out[6], ts: out[0].ts - 30 };
    return out;
  }

  it.each([['pcap'], ['pcapng']])('%s: duplicates and backward timestamps all reach the connection', async (format) => {
    const recs = records();
    const bytes = format === 'pcap' ? writePcap(recs) : writePcapng({ blocks: recs.map((r) => ({ ...r, linkType: LINKTYPE.ether })) });
    const a = await analyzeCapture(Readable.from([bytes]));
    const times = recs.map((r) => r.ts);
    expect([a.packets, a.tcpPackets, a.skipped, a.issues]).toEqual([recs.length, recs.length, {}, []]);
    expect(a.connections).toHaveLength(1);
    const [c] = a.connections;
    expect(c.side(0).packets + c.side(1).packets).toBe(recs.length);
    expect([a.firstTs, a.lastTs, c.start, c.end]).toEqual([Math.min(...times), Math.max(...times), Math.min(...times), Math.max(...times)]);
  });

  it('zero-length records are counted as empty packets', async () => {
    const recs = [{ ts: 1, data: frame }, { ts: 2, data: Buffer.alloc(0) }, { ts: 3, data: frame }];
    for (const bytes of [writePcap(recs), writePcapng({ blocks: recs })]) {
      const a = await analyzeCapture(Readable.from([bytes]));
      expect([a.packets, a.tcpPackets, a.skipped, a.issues]).toEqual([3, 2, { 'empty-packet': 1 }, []]);
    }
  });
});
