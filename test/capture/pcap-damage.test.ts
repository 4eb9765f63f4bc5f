import { Readable } from 'node:stream';
import { collect, randomChunks, splitAt, streamOf } from './collect';
import { CaptureError } from '../../src/capture/record';
import { gzip, pcapHeader, pcapRecord, writePcap, type WriteRecord } from '../support/capture-writer';

const RECORDS: WriteRecord[] = [
  { ts: 100.5, data: Buffer.from('0123456789') },
  { ts: 101.5, data: Buffer.from('abcdefghijklmnopqrstuvwxyz') },
  { ts: 102.5, data: Buffer.from('last') },
];
const FILE = writePcap(RECORDS);
/** Record header offsets, then the end of the file. */
const BOUNDS = [24, 50, 92, 112];

function withCaplen(file: Buffer, recordOffset: number, caplen: number): Buffer {
  const copy = Buffer.from(file);
  copy.writeUInt32LE(caplen, recordOffset + 8);
  return copy;
}

describe('classic pcap cut short', () => {
  it('reports the file header cut short as truncated-file, with no records', async () => {
    for (const cut of [4, 10, 23]) {
      const { records, issues, result, infos } = await collect(streamOf([FILE.subarray(0, cut)]));
      expect(records).toEqual([]);
      expect(issues).toEqual([{ code: 'truncated-file', offset: 0, message: `file ends after ${cut} bytes, inside the 24-byte pcap file header` }]);
      expect(result).toMatchObject({ records: 0, bytes: cut, damaged: true });
      expect(infos).toHaveLength(1);
    }
  });

  it('delivers the good prefix and names the record cut short, at every byte position', async () => {
    for (let cut = 24; cut <= FILE.length; cut++) {
      const whole = BOUNDS.filter((b) => b <= cut).length - 1;
      const { records, issues, result } = await collect(streamOf(splitAt(FILE.subarray(0, cut), Math.min(cut, 30))));
      expect(records.map((r) => r.frame)).toEqual([1, 2, 3].slice(0, whole));
      if (BOUNDS.includes(cut)) {
        expect(issues).toEqual([]);
        expect(result.damaged).toBe(false);
        continue;
      }
      const at = BOUNDS[whole];
      expect(issues).toEqual([{ code: 'truncated-record', offset: at, frame: whole + 1, message: expect.stringContaining(`record ${whole + 1} at offset ${at}`) }]);
      expect(issues[0].message).toMatch(cut - at < 16 ? /inside the header of/ : /bytes announced/);
      expect(result.damaged).toBe(true);
    }
  });

  it('says how much of a cut record is there', async () => {
    const { issues } = await collect(streamOf([FILE.subarray(0, 50 + 16 + 5)]));
    expect(issues[0].message).toBe('capture ends inside record 2 at offset 50: 26 bytes announced, 5 present');
    const head = await collect(streamOf([FILE.subarray(0, 53)]));
    expect(head.issues[0].message).toBe('capture ends inside the header of record 2 at offset 50 (3 of 16 bytes present)');
  });
});

describe('classic pcap with a lying captured length', () => {
  it.each([0x7fffffff, 262145, 0xffffffff])('stops at a caplen of %s with oversized-record, keeping the prefix', async (caplen) => {
    const file = withCaplen(FILE, 50, caplen);
    for (const input of [() => streamOf([file]), () => streamOf(randomChunks(file, 3, 8)), () => streamOf([gzip(file)])]) {
      const { records, issues, result } = await collect(input());
      expect(records.map((r) => r.data.toString())).toEqual(['0123456789']);
      expect(issues).toEqual([{
        code: 'oversized-record', offset: 50, frame: 2,
        message: `record 2 at offset 50 claims ${caplen} captured bytes, more than the maximum of 262144; reading stopped`,
      }]);
      expect(result).toMatchObject({ records: 1, bytes: 50, damaged: true });
    }
  });

  it('honours maxRecordBytes and a snaplen above 262144', async () => {
    const big = { ts: 1, data: Buffer.alloc(3000) };
    const small = await collect(streamOf([writePcap([RECORDS[0], big])]), { maxRecordBytes: 2048 });
    expect(small.issues.map((i) => [i.code, i.offset, i.frame])).toEqual([['oversized-record', 50, 2]]);
    const jumbo = Buffer.concat([pcapHeader({ snaplen: 1 << 20 }), pcapRecord({ ts: 1, data: Buffer.alloc(300000) })]);
    expect((await collect(streamOf([jumbo]))).issues).toEqual([]);
  });

  it('stops reading a huge lying file without buffering it', async () => {
    const lie = withCaplen(FILE, 24, 0xfffffff0);
    const tail = Buffer.alloc(1 << 20);
    let pulled = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield lie;
      for (;;) {
        pulled++;
        yield tail;
      }
    }
    const { issues } = await collect(Readable.from(endless()));
    expect(issues[0].code).toBe('oversized-record');
    expect(pulled).toBeLessThan(5);
  });
});

describe('classic pcap file header', () => {
  it('rejects an unsupported version with CaptureError', async () => {
    const file = Buffer.from(FILE);
    file.writeUInt16LE(1, 4);
    file.writeUInt16LE(0, 6);
    await expect(collect(streamOf([file]))).rejects.toMatchObject({
      name: 'CaptureError', code: 'unsupported-format', offset: 4, message: expect.stringContaining('unsupported version 1.0'),
    });
    await expect(collect(streamOf([file]))).rejects.toBeInstanceOf(CaptureError);
  });
});
