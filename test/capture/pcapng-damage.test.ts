import { collect, randomChunks, splitAt, streamOf } from './collect';
import { block, idb, packetBlock, shb, type PcapngInterfaceSpec } from '../support/capture-writer';

const ETH: PcapngInterfaceSpec = { linkType: 1 };
const epb = (text: string, interfaceId = 0): Buffer => packetBlock('epb', { ts: 1000 + text.length, data: Buffer.from(text) }, interfaceId, ETH);

const BLOCKS = [shb(), idb(ETH), epb('abcde'), block(0x12345, Buffer.alloc(8)), epb('xy'), packetBlock('spb', { ts: 0, data: Buffer.from('spb!') }, 0, ETH)];
const FILE = Buffer.concat(BLOCKS);
/** Start offset of every block, then the end of the file. */
const STARTS = BLOCKS.reduce((acc, b) => [...acc, acc[acc.length - 1] + b.length], [0]);
const PACKET_BLOCKS = [2, 4, 5];

/** Rewrites the u32 at `at` (little-endian file). */
function patched(file: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(file);
  copy.writeUInt32LE(value >>> 0, at);
  return copy;
}

describe('pcapng cut short', () => {
  it('reports a cut inside the first section header as truncated-file', async () => {
    for (const cut of [4, 11, 12, 27]) {
      const { records, issues } = await collect(streamOf([FILE.subarray(0, cut)]));
      expect(records).toEqual([]);
      expect(issues).toEqual([{ code: 'truncated-file', offset: 0, message: `file ends after ${cut} bytes, inside the first pcapng section header` }]);
    }
  });

  it('delivers the good prefix and names the block cut short, at every byte position', async () => {
    for (let cut = STARTS[1]; cut <= FILE.length; cut++) {
      const complete = STARTS.filter((s) => s <= cut).length - 1;
      const delivered = PACKET_BLOCKS.filter((b) => b < complete).length;
      const { records, issues, result } = await collect(streamOf(splitAt(FILE.subarray(0, cut), Math.floor(cut / 2))));
      expect(records.map((r) => r.frame)).toEqual([1, 2, 3].slice(0, delivered));
      if (STARTS.includes(cut)) {
        expect(issues).toEqual([]);
        continue;
      }
      const at = STARTS[complete];
      const packet = PACKET_BLOCKS.includes(complete) && cut - at >= 4;
      expect(issues).toEqual([{
        code: 'truncated-record', offset: at, message: expect.stringContaining(`block at offset ${at} (${cut - at}`),
        ...(packet ? { frame: delivered + 1 } : delivered > 0 ? { frame: delivered } : {}),
      }]);
      expect(result.damaged).toBe(true);
    }
  });
});

describe('pcapng with lying block lengths', () => {
  const epbAt = STARTS[2];

  it.each([
    [41, 'not a multiple of 4'],
    [8, 'less than 12'],
    [0x7ffffff0, 'more than the maximum of 16777216'],
  ])('stops at a total length of %s (%s)', async (length, why) => {
    const { records, issues, result } = await collect(streamOf(randomChunks(patched(FILE, epbAt + 4, length), 7, 16)));
    expect(records).toEqual([]);
    expect(issues).toEqual([{ code: 'bad-block-length', offset: epbAt, message: `enhanced packet block at offset ${epbAt} has total length ${length}, ${why}; reading stopped` }]);
    expect(result).toMatchObject({ records: 0, bytes: epbAt, damaged: true });
  });

  it('applies maxRecordBytes to blocks', async () => {
    const { issues } = await collect(streamOf([FILE]), { maxRecordBytes: 36 });
    expect(issues.map((i) => [i.code, i.offset])).toEqual([['bad-block-length', epbAt]]);
  });

  it('stops when the trailing length differs, saying both and where', async () => {
    const second = STARTS[4];
    const file = patched(FILE, STARTS[5] - 4, 999);
    const { records, issues } = await collect(streamOf([file]));
    expect(records.map((r) => r.data.toString())).toEqual(['abcde']);
    expect(issues).toEqual([{
      code: 'bad-block-length', offset: second, frame: 1,
      message: `enhanced packet block at offset ${second} has total length ${STARTS[5] - second} but trailing length 999; reading stopped`,
    }]);
  });

  it('stops on a packet block too short for its fields or its captured length', async () => {
    const tiny = Buffer.concat([shb(), idb(ETH), block(6, Buffer.alloc(4)), epb('never')]);
    expect((await collect(streamOf([tiny]))).issues[0].message).toBe('enhanced packet block at offset 48 has total length 16, less than its minimum of 32; reading stopped');
    const lying = patched(FILE, epbAt + 20, 200);
    const { issues, records } = await collect(streamOf([lying]));
    expect(records).toEqual([]);
    expect(issues[0]).toEqual({ code: 'bad-block-length', offset: epbAt, message: `enhanced packet block at offset ${epbAt} has total length 40, too small for 200 captured bytes; reading stopped` });
  });
});

describe('pcapng interfaces and sections that are wrong', () => {
  it('skips a packet for an undescribed interface without giving it a frame number', async () => {
    const file = Buffer.concat([shb(), idb(ETH), epb('one'), epb('ghost', 3), epb('two')]);
    const { records, issues, result } = await collect(streamOf([file]));
    expect(records.map((r) => [r.frame, r.data.toString()])).toEqual([[1, 'one'], [2, 'two']]);
    expect(issues).toEqual([{
      code: 'unknown-interface', offset: 48 + 36, frame: 1,
      message: 'enhanced packet block at offset 84 names interface 3, but the section describes 1; block skipped',
    }]);
    expect(result).toMatchObject({ records: 2, damaged: true });
  });

  it('skips a simple packet block before any interface', async () => {
    const file = Buffer.concat([shb(), packetBlock('spb', { ts: 0, data: Buffer.from('x') }, 0, ETH), idb(ETH), epb('ok')]);
    const { records, issues } = await collect(streamOf([file]));
    expect(records.map((r) => [r.frame, r.data.toString()])).toEqual([[1, 'ok']]);
    expect(issues.map((i) => [i.code, i.offset])).toEqual([['unknown-interface', 28]]);
  });

  it('forgets the interfaces of the previous section', async () => {
    const old = packetBlock('epb', { ts: 1, data: Buffer.from('old interface') }, 0, ETH, 'BE');
    const file = Buffer.concat([shb(), idb(ETH), epb('one'), shb('BE'), old]);
    const { records, issues } = await collect(streamOf([file]));
    expect(records).toHaveLength(1);
    expect(issues.map((i) => i.code)).toEqual(['unknown-interface']);
  });

  it('rejects a first section header with an unknown byte-order magic or version', async () => {
    await expect(collect(streamOf([patched(FILE, 8, 0x11223344)]))).rejects.toMatchObject({
      name: 'CaptureError', code: 'not-a-capture', offset: 8,
      message: 'not a capture file: pcapng section header with byte-order magic 0x11223344 (little-endian reading)',
    });
    await expect(collect(streamOf([Buffer.concat([shb('LE', [2, 0]), idb(ETH)])]))).rejects.toMatchObject({
      code: 'unsupported-format', message: 'pcapng version 2.0 is not supported',
    });
  });

  it('stops at a later section header it cannot read, keeping what came before', async () => {
    const badMagic = Buffer.concat([FILE.subarray(0, STARTS[3]), patched(shb(), 8, 0x11223344), epb('after')]);
    const magic = await collect(streamOf([badMagic]));
    expect(magic.records).toHaveLength(1);
    expect(magic.issues.map((i) => [i.code, i.offset, i.frame])).toEqual([['unsupported-block', STARTS[3], 1]]);
    const badVersion = Buffer.concat([FILE.subarray(0, STARTS[3]), shb('BE', [3, 1]), idb(ETH, 'BE')]);
    const version = await collect(streamOf([badVersion]));
    expect(version.issues).toEqual([{
      code: 'unsupported-block', offset: STARTS[3], frame: 1, message: `section header block at offset ${STARTS[3]}: pcapng version 3.1 is not supported; reading stopped`,
    }]);
  });
});
