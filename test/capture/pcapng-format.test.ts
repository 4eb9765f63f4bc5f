import { collect, randomChunks, streamOf } from './collect';
import {
  block, gzip, idb, packetBlock, shb, storedTs, unitsPerSecond, writePcapng, type ByteOrder, type PcapngInterfaceSpec,
} from '../support/capture-writer';

const ETH = 1;
const RAW = 101;
const SLL = 113;
const MICRO = 1_000_000n;

describe.each(['LE', 'BE'] as ByteOrder[])('pcapng %s', (byteOrder) => {
  const blocks = [
    { ts: 1700000000.5, data: Buffer.from('on ethernet'), linkType: ETH },
    { type: 4, body: Buffer.from([0, 0, 0, 0]) }, // name resolution block: skipped
    { ts: 1700000001.25, data: Buffer.from('raw ip, cut'), linkType: RAW, origLen: 900 },
    { type: 0x12345, body: Buffer.from('an unknown block type') },
    { ts: 1700000002.000001, data: Buffer.from('odd'), linkType: ETH },
  ];
  const file = writePcapng({ byteOrder, blocks });

  it('delivers every field, one link type per interface, skipping other blocks', async () => {
    const { records, issues, infos, result } = await collect(streamOf([file]));
    expect(issues).toEqual([]);
    expect(infos).toEqual([{ format: 'pcapng', byteOrder, gzip: false, linkTypes: [ETH, RAW], sections: 1 }]);
    expect(result).toMatchObject({ records: 3, bytes: file.length, damaged: false });
    // SHB 28, two IDBs of 20, EPBs of 32 + padded data, NRB 16, unknown block 36.
    const offsets = [68, 68 + 44 + 16, 68 + 44 + 16 + 44 + 36];
    expect(records).toEqual([0, 2, 4].map((b, i) => {
      const r = blocks[b] as { ts: number; data: Buffer; linkType: number; origLen?: number };
      return { frame: i + 1, ts: storedTs(r.ts, MICRO), linkType: r.linkType, data: r.data, origLen: r.origLen ?? r.data.length, offset: offsets[i] };
    }));
  });

  it('reads the same through random chunks and gzip', async () => {
    const whole = await collect(streamOf([file]));
    for (const seed of [11, 12, 13]) expect((await collect(streamOf(randomChunks(file, seed, 24)))).records).toEqual(whole.records);
    expect((await collect(streamOf(randomChunks(gzip(file), 14, 24)))).records).toEqual(whole.records);
  });
});

describe('pcapng sections and interfaces', () => {
  it('resets interfaces per section, in each section byte order, counting sections', async () => {
    const file = writePcapng([
      { byteOrder: 'LE', blocks: [{ ts: 10, data: Buffer.from('a'), linkType: ETH }, { ts: 11, data: Buffer.from('b'), linkType: RAW }] },
      { byteOrder: 'BE', blocks: [{ ts: 12, data: Buffer.from('c'), linkType: SLL }] },
      { byteOrder: 'LE', blocks: [{ ts: 13, data: Buffer.from('d'), linkType: RAW }] },
    ]);
    const { records, issues, result } = await collect(streamOf(randomChunks(file, 5, 16)));
    expect(issues).toEqual([]);
    expect(result.info).toMatchObject({ byteOrder: 'LE', linkTypes: [ETH, RAW, SLL, RAW], sections: 3 });
    expect(records.map((r) => [r.frame, r.ts, r.linkType, r.data.toString()])).toEqual([
      [1, 10, ETH, 'a'], [2, 11, RAW, 'b'], [3, 12, SLL, 'c'], [4, 13, RAW, 'd'],
    ]);
  });

  it('sends the info known before the first record and keeps the final info in the result', async () => {
    const file = writePcapng([{ blocks: [{ ts: 1, data: Buffer.from('a') }] }, { interfaces: [{ linkType: RAW }], blocks: [] }]);
    const { infos, result } = await collect(streamOf([file]));
    expect(infos.map((i) => [i.linkTypes, i.sections])).toEqual([[[ETH], 1]]);
    expect([result.info.linkTypes, result.info.sections]).toEqual([[ETH, RAW], 2]);
  });

  const resolutions: [string, PcapngInterfaceSpec][] = [
    ['default 10^-6', { linkType: ETH }],
    ['10^-3', { linkType: ETH, tsresol: { base: 10, exponent: 3 } }],
    ['10^-9', { linkType: ETH, tsresol: { base: 10, exponent: 9 } }],
    ['2^-20', { linkType: ETH, tsresol: { base: 2, exponent: 20 } }],
    ['2^-32', { linkType: ETH, tsresol: { base: 2, exponent: 32 } }],
    ['10^-9 with if_tsoffset', { linkType: ETH, tsresol: { base: 10, exponent: 9 }, tsoffset: 1600000000 }],
    ['10^-6 with a negative if_tsoffset', { linkType: ETH, tsoffset: -3600 }],
    ['10^-12 with if_tsoffset (BigInt path)', { linkType: ETH, tsresol: { base: 10, exponent: 12 }, tsoffset: 1700000000 }],
    ['2^-40 with if_tsoffset (BigInt path)', { linkType: ETH, tsresol: { base: 2, exponent: 40 }, tsoffset: 1700000000 }],
  ];
  it.each(resolutions)('converts timestamps at %s exactly', async (_name, iface) => {
    const times = [1700000000.123456789, 1700000123.999999, 1700000200, 1700003600.000001];
    const file = writePcapng({ interfaces: [iface], blocks: times.map((ts) => ({ ts, data: Buffer.from('p') })) });
    const { records, issues } = await collect(streamOf([file]));
    expect(issues).toEqual([]);
    expect(records.map((r) => r.ts)).toEqual(times.map((ts) => storedTs(ts, unitsPerSecond(iface), iface.tsoffset ?? 0)));
    const step = 1 / Number(unitsPerSecond(iface));
    for (const [i, r] of records.entries()) expect(Math.abs(r.ts - times[i])).toBeLessThanOrEqual(Math.max(step / 2, 1e-6));
  });

  it('ignores interface options from a malformed one on, keeping the interface', async () => {
    // if_tsresol 10^-9, then an option claiming 200 bytes: parsing stops, tsresol already read stays.
    const body = Buffer.from('0100 0000 00000000 0900 0100 09000000 0e00 c800 00000000'.replace(/ /g, ''), 'hex');
    const iface = { linkType: ETH, tsresol: { base: 10, exponent: 9 } } as const;
    const file = Buffer.concat([shb(), block(1, body), packetBlock('epb', { ts: 12.5, data: Buffer.from('p') }, 0, iface)]);
    const { records, issues } = await collect(streamOf([file]));
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.ts, r.linkType])).toEqual([[12.5, ETH]]);
  });

  it('reads simple packet blocks: interface 0, previous ts, caplen from orig len and snaplen', async () => {
    const file = writePcapng({
      interfaces: [{ linkType: SLL, snaplen: 4 }, { linkType: ETH }],
      blocks: [
        { block: 'spb', ts: 0, data: Buffer.from('no'), origLen: 2 },
        { ts: 5.5, data: Buffer.from('epb'), interfaceId: 1 },
        { block: 'spb', ts: 0, data: Buffer.from('long'), origLen: 1500 },
      ],
    });
    const { records, issues } = await collect(streamOf([file]));
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.frame, r.ts, r.linkType, r.data.toString(), r.origLen])).toEqual([
      [1, 0, SLL, 'no', 2], [2, 5.5, ETH, 'epb', 3], [3, 5.5, SLL, 'long', 1500],
    ]);
  });

  it('reads obsolete packet blocks with their 16-bit interface id', async () => {
    const file = writePcapng({
      byteOrder: 'BE',
      interfaces: [{ linkType: ETH }, { linkType: RAW, tsresol: { base: 10, exponent: 9 } }],
      blocks: [{ block: 'pb', ts: 7.25, data: Buffer.from('old'), interfaceId: 1, origLen: 99 }],
    });
    const { records } = await collect(streamOf([file]));
    expect(records.map((r) => [r.frame, r.ts, r.linkType, r.data.toString(), r.origLen, r.offset])).toEqual([[1, 7.25, RAW, 'old', 99, 28 + 20 + 32]]);
  });

  it('numbers the non-packet records Wireshark shows as frames (systemd journal, sysdig) without delivering them', async () => {
    const iface = { linkType: ETH };
    const file = Buffer.concat([
      shb(), idb(iface),
      packetBlock('epb', { ts: 1, data: Buffer.from('a') }, 0, iface),
      block(0x9, Buffer.from('__REALTIME_TIMESTAMP=1\n')),
      block(0x204, Buffer.alloc(8)),
      block(0xbad, Buffer.alloc(8)), // a custom block: not a frame
      packetBlock('epb', { ts: 2, data: Buffer.from('b') }, 0, iface),
    ]);
    const { records, issues } = await collect(streamOf([file]));
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.frame, r.data.toString()])).toEqual([[1, 'a'], [4, 'b']]);
  });
});
