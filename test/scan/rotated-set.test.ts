/** A capture split the way rotating recorders split them is analysed as one timeline: the report of
 * the merged set equals the report of the unsplit capture. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { reportCapture } from '../../src/pipeline';
import type { ReportJson } from '../../src/report/report-model';
import type { ScanIndex } from '../../src/scan/index-model';
import { gzip, writePcap, writePcapng, type WriteRecord } from '../support/capture-writer';
import { rotatedTraffic, splitAt } from './rotated-capture';
import { readIndex, readReport, tcpteardown, tempDir } from './scan-cli';

const records = rotatedTraffic();
const [a, b, c] = splitAt(records, [40, 80]);
const pcapng = (part: WriteRecord[]): Buffer => writePcapng({ blocks: part });

const dir = tempDir('rotated');
const folders: Record<string, [string, Buffer][]> = {
  // tcpdump -C 1 -W 3 after wrapping: the oldest file is not the one numbered 0.
  'tcpdump-ring': [['dump.pcap1', writePcap(a)], ['dump.pcap2', writePcap(b)], ['dump.pcap0', writePcap(c)]],
  // dumpcap -b filesize: numbered and dated; the last one compressed afterwards.
  dumpcap: [['ring_00001_20231114221320.pcapng', pcapng(a)], ['ring_00002_20231114221400.pcapng', pcapng(b)],
    ['ring_00003_20231114221440.pcapng.gz', gzip(pcapng(c))]],
  // Named by hand: only --merge all proposes them.
  'by-hand': [['monday.pcap', writePcap(a)], ['tuesday.pcap', writePcap(b)], ['wednesday.pcap', writePcap(c)]],
  // The recorder was killed while writing the last file.
  'cut-short': [['dump.pcap', writePcap(a)], ['dump.pcap1', writePcap([...b, ...c]).subarray(0, -30)]],
};
for (const [folder, files] of Object.entries(folders)) {
  mkdirSync(join(dir, 'in', folder), { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(dir, 'in', folder, name), bytes);
}

/** What does not depend on how the capture was cut into files (pcapng: one section and interface per file). */
function timeline(report: ReportJson): object {
  const { file: _file, size_bytes: _size, sections: _sections, link_types: linkTypes, ...input } = report.input;
  return { ...report, input: { ...input, link_types: [...new Set(linkTypes)] } };
}

async function unsplitReport(format: 'pcap' | 'pcapng' = 'pcap'): Promise<ReportJson> {
  const bytes = format === 'pcap' ? writePcap(records) : pcapng(records);
  const report = await reportCapture(Readable.from([bytes]), { file: 'unsplit', sizeBytes: 0, detect: { thresholds: DEFAULT_THRESHOLDS } });
  return JSON.parse(JSON.stringify(report)) as ReportJson;
}

/** Where the last record of `part` starts in its pcap file. */
const lastRecordOffset = (part: WriteRecord[]): number => writePcap(part.slice(0, -1)).length;

function scan(merge: string): ScanIndex {
  const out = join(dir, `out-${merge}`);
  const r = tcpteardown(['scan', 'in', '--out', out, '--merge', merge, '--jobs', '2', '--quiet'], dir);
  expect(r.stderr.split('\n').filter((line) => line && !line.startsWith('tcpteardown: in/cut-short/'))).toEqual([]);
  expect(r.code).toBe(0);
  return readIndex(out);
}

describe('rotated capture sets', () => {
  it('the unsplit capture has a late FIN answered by RST, 90 s after the first FIN', async () => {
    const kinds = (await unsplitReport()).findings.map((f) => f.kind);
    expect(kinds).toContain('rst-after-late-fin');
  });

  it('--merge auto: each set is one entry, its files in time order, its report that of the unsplit capture', async () => {
    const index = scan('auto');
    expect(index.files.map((f) => f.members ?? f.file)).toEqual([
      'in/by-hand/monday.pcap', 'in/by-hand/tuesday.pcap', 'in/by-hand/wednesday.pcap',
      ['in/cut-short/dump.pcap', 'in/cut-short/dump.pcap1'],
      ['in/dumpcap/ring_00001_20231114221320.pcapng', 'in/dumpcap/ring_00002_20231114221400.pcapng', 'in/dumpcap/ring_00003_20231114221440.pcapng.gz'],
      ['in/tcpdump-ring/dump.pcap1', 'in/tcpdump-ring/dump.pcap2', 'in/tcpdump-ring/dump.pcap0'],
    ]);
    expect(index.totals).toMatchObject({ files: 6, captures: 11 });
    for (const entry of index.files.filter((f) => f.members?.length === 3)) {
      const report = readReport(join(dir, 'out-auto'), entry.reports?.json ?? '');
      expect(report.input.file).toBe(`${entry.file} … ${entry.members?.[2]} (3 files merged)`);
      expect(timeline(report)).toEqual(timeline(await unsplitReport(report.input.format === 'pcapng' ? 'pcapng' : 'pcap')));
    }
  });

  it('damage in the last file of a set is reported in that file, at its own byte offset', () => {
    const entry = scan('auto').files.find((f) => f.file === 'in/cut-short/dump.pcap');
    expect(entry).toMatchObject({ status: 'warning', packets: records.length - 1 });
    expect(entry?.warnings).toEqual([expect.stringMatching(new RegExp(
      `^in/cut-short/dump\\.pcap1: capture ends inside record ${records.length} .*\\(byte offset ${lastRecordOffset([...b, ...c])} of that file\\)$`))]);
  });

  it('--merge all: any captures of a folder that continue each other, whatever their names', () => {
    const index = scan('all');
    expect(index.files.find((f) => f.file === 'in/by-hand/monday.pcap')?.members)
      .toEqual(['in/by-hand/monday.pcap', 'in/by-hand/tuesday.pcap', 'in/by-hand/wednesday.pcap']);
    expect(index.totals).toMatchObject({ files: 4, captures: 11 });
  });

  it('--merge none: the files alone, and the late FIN is lost at the cut', () => {
    const index = scan('none');
    expect(index.files).toHaveLength(11);
    expect(index.files.every((f) => f.members === undefined)).toBe(true);
    expect(index.totals.findings.by_kind['rst-after-late-fin']).toBeUndefined();
  });
});
