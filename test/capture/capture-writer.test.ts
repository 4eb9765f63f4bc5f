import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { collect } from './collect';
import {
  createPcapngWriter, createPcapWriter, gzip, writePcap, writePcapng, type PcapngInterfaceSpec, type WriteRecord,
} from '../support/capture-writer';

const RECORDS: WriteRecord[] = Array.from({ length: 500 }, (_, i) => ({
  ts: 1700000000 + i * 0.001234567, data: Buffer.alloc(40 + (i % 30), i), linkType: i % 3 === 0 ? 101 : 1, origLen: 1500,
}));

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'capture-writer-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('capture writer', () => {
  it('is deterministic', () => {
    const pcapRecords = RECORDS.map((r) => ({ ...r, linkType: undefined }));
    expect(writePcap(pcapRecords, { nanos: true }).equals(writePcap(pcapRecords, { nanos: true }))).toBe(true);
    expect(gzip(writePcapng({ blocks: RECORDS })).equals(gzip(writePcapng({ blocks: RECORDS })))).toBe(true);
  });

  it('refuses a pcap record of another link type than the file', () => {
    expect(() => writePcap([{ ts: 0, data: Buffer.alloc(1), linkType: 101 }])).toThrow('pcap holds one link type (1), got 101');
  });

  it('streams the same pcap bytes as the whole-file writer, gzip included', async () => {
    const records = RECORDS.map((r) => ({ ...r, linkType: undefined }));
    for (const gz of [false, true]) {
      const path = join(dir, `s${gz}.pcap`);
      const w = createPcapWriter(createWriteStream(path), { byteOrder: 'BE', nanos: true, gzip: gz });
      for (const r of records) await w.write(r);
      await w.end();
      const written = readFileSync(path);
      expect((gz ? gunzipSync(written) : written).equals(writePcap(records, { byteOrder: 'BE', nanos: true }))).toBe(true);
      const { result } = await collect(path);
      expect(result).toMatchObject({ records: records.length, damaged: false, info: { gzip: gz, format: 'pcap-nsec' } });
    }
  });

  it('streams one pcapng section with its interfaces', async () => {
    const interfaces: PcapngInterfaceSpec[] = [{ linkType: 1, tsresol: { base: 10, exponent: 9 } }, { linkType: 101, tsoffset: 100 }];
    const path = join(dir, 's.pcapng');
    const w = createPcapngWriter(createWriteStream(path), { byteOrder: 'BE', interfaces });
    for (const r of RECORDS) await w.write(r);
    await w.end();
    expect(readFileSync(path).equals(writePcapng({ byteOrder: 'BE', interfaces, blocks: RECORDS }))).toBe(true);
    const { records } = await collect(path);
    expect(records.map((r) => r.linkType)).toEqual(RECORDS.map((r) => r.linkType));
  });
});
