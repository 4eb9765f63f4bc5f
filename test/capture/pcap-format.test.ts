import { collect, randomChunks, streamOf } from './collect';
import { gzip, storedTs, writePcap, type ByteOrder, type WriteRecord } from '../support/capture-writer';

const RECORDS: WriteRecord[] = [
  { ts: 1700000000.123456, data: Buffer.from('first packet') },
  { ts: 1700000001.000001, data: Buffer.alloc(0), origLen: 60 },
  { ts: 1700000002.987654321, data: Buffer.from('third, cut by the snaplen'), origLen: 1514 },
];

function offsetsOf(records: WriteRecord[]): number[] {
  let at = 24;
  return records.map((r) => {
    const here = at;
    at += 16 + r.data.length;
    return here;
  });
}

describe.each([
  ['LE', false], ['BE', false], ['LE', true], ['BE', true],
] as [ByteOrder, boolean][])('classic pcap %s nanos=%s', (byteOrder, nanos) => {
  const file = writePcap(RECORDS, { byteOrder, nanos, linkType: 113 });
  const perSecond = nanos ? 1_000_000_000n : 1_000_000n;

  it('delivers every field of every record', async () => {
    const { records, issues, infos, result } = await collect(streamOf([file]));
    expect(issues).toEqual([]);
    expect(infos).toEqual([{ format: nanos ? 'pcap-nsec' : 'pcap', byteOrder, gzip: false, linkTypes: [113], sections: 1 }]);
    expect(result).toEqual({ info: infos[0], records: 3, bytes: file.length, damaged: false });
    const offsets = offsetsOf(RECORDS);
    expect(records).toEqual(RECORDS.map((r, i) => ({
      frame: i + 1, ts: storedTs(r.ts, perSecond), linkType: 113, data: r.data, origLen: r.origLen ?? r.data.length, offset: offsets[i],
    })));
    for (const [i, r] of records.entries()) expect(Math.abs(r.ts - RECORDS[i].ts)).toBeLessThan(1e-6);
  });

  it('reads the same through random chunks and gzip, and leaves the input bytes alone', async () => {
    const copy = Buffer.from(file);
    const plain = await collect(streamOf([file]));
    for (const seed of [1, 2, 3]) {
      expect((await collect(streamOf(randomChunks(file, seed, 16)))).records).toEqual(plain.records);
    }
    const zipped = await collect(streamOf(randomChunks(gzip(file), 4, 16)));
    expect(zipped.records).toEqual(plain.records);
    expect(zipped.result.info.gzip).toBe(true);
    expect(file).toEqual(copy);
  });
});

describe('classic pcap details', () => {
  it('scales the nanosecond fraction by 1e9 and keeps microseconds exact', async () => {
    const ts = 1234567890.000999999;
    const { records } = await collect(streamOf([writePcap([{ ts, data: Buffer.from('x') }], { nanos: true })]));
    expect(records[0].ts).toBe(storedTs(ts, 1_000_000_000n));
    expect(Math.abs(records[0].ts - 1234567890.001)).toBeLessThan(1e-6);
  });

  it('hands the sink one reused record object, info once, and progress per chunk', async () => {
    const file = writePcap(RECORDS);
    const { recordObjects, infos, progress } = await collect(streamOf(randomChunks(file, 9, 20)));
    expect(recordObjects).toBe(1);
    expect(infos).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress[progress.length - 1]).toBe(file.length);
  });

  it('masks the FCS bits of the link type field as libpcap does', async () => {
    const { result, records } = await collect(streamOf([writePcap([RECORDS[0]], { linkType: 0x14000001 })]));
    expect(result.info.linkTypes).toEqual([1]);
    expect(records[0].linkType).toBe(1);
  });

  it('accepts records longer than the snaplen up to 262144 bytes, as Wireshark does', async () => {
    const big = { ts: 1, data: Buffer.alloc(70000, 7) };
    const { records, issues } = await collect(streamOf([writePcap([big], { snaplen: 1500 })]));
    expect(issues).toEqual([]);
    expect(records[0].data.equals(big.data)).toBe(true);
  });

  it('reports a header-only file as zero records, undamaged', async () => {
    const { records, issues, infos, result } = await collect(streamOf([writePcap([])]));
    expect([records, issues, result.damaged, infos.length]).toEqual([[], [], false, 1]);
  });
});
