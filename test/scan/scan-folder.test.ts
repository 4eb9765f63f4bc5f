/** `scan` over a folder: what index.json says, what the per-file reports hold, the exit codes. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { reportCapture } from '../../src/pipeline';
import type { IndexFile, ScanIndex } from '../../src/scan/index-model';
import { buildScanFolder, corpusPicks } from './scan-folder';
import { readIndex, readReport, tcpteardown, tempDir } from './scan-cli';

const dir = tempDir('scan');
buildScanFolder(dir);

function scan(args: string[], out: string): { code: number | null; index: ScanIndex; stderr: string } {
  const r = tcpteardown(['scan', ...args, '--out', out, '--quiet'], dir);
  return { code: r.code, index: readIndex(join(dir, out)), stderr: r.stderr };
}

describe('scan DIR', () => {
  let run: ReturnType<typeof scan>;
  let byFile: Map<string, IndexFile>;
  beforeAll(() => {
    run = scan(['in'], 'out');
    byFile = new Map(run.index.files.map((f) => [f.file, f]));
  });

  it('lists what it skipped and why', () => {
    expect(run.index.skipped).toEqual([
      { file: 'in/empty.pcap', reason: 'empty file' },
      { file: 'in/logs/server.log.gz', reason: 'not a capture: gzip data whose content starts with bytes 47 45 54 20' },
      { file: 'in/notes.txt', reason: 'not a capture: starts with bytes 74 68 65 20' },
    ]);
  });

  it('has one entry per capture or merged set, sorted by file', () => {
    const files = run.index.files.map((f) => f.file);
    expect(files).toEqual([...files].sort());
    expect(files).toEqual(expect.arrayContaining(['in/broken/compressed-copy', 'in/broken/corrupt.pcapng', 'in/broken/truncated.pcap', 'in/lab/lo-teardown-mix.pcap', 'in/rotated/dump.pcap0']));
    expect(files).toHaveLength(6 + corpusPicks().length);
    expect(byFile.get('in/rotated/dump.pcap0')?.members).toEqual(['in/rotated/dump.pcap0', 'in/rotated/dump.pcap1', 'in/rotated/dump.pcap2']);
  });

  it('says what could not be read, and what was damaged', () => {
    expect(byFile.get('in/broken/corrupt.pcapng')).toMatchObject({ status: 'error', error: expect.stringMatching(/^not a capture file: pcapng section header/), reports: null, packets: 0 });
    expect(byFile.get('in/broken/truncated.pcap')).toMatchObject({ status: 'warning', packets: 30, warnings: [expect.stringMatching(/capture ends inside record 31 .* \(byte offset \d+\)$/)] });
    expect(byFile.get('in/broken/compressed-copy')).toMatchObject({ status: 'ok', packets: 31 });
    expect(run.stderr).toMatch(/^tcpteardown: in\/broken\/corrupt\.pcapng: not a capture file/m);
  });

  it('counts findings per kind and severity, per listener, with the worst incidents', () => {
    const lab = byFile.get('in/lab/lo-teardown-mix.pcap');
    const report = readReport(join(dir, 'out'), lab?.reports?.json ?? '');
    expect(lab?.findings.total).toBe(report.findings.length);
    expect(lab?.findings.by_severity.warning).toBe(report.findings.filter((f) => f.severity === 'warning').length);
    expect(lab?.worst.map((w) => w.summary)).toEqual(report.incidents.slice(0, 3).map((i) => i.summary));
    expect(lab?.listeners.reduce((n, l) => n + l.findings.total, 0)).toBe(report.findings.filter((f) => f.listener).length);
  });

  it('totals add up the entries', () => {
    const { files, totals } = run.index;
    expect(totals.files).toBe(files.length);
    expect(totals.captures).toBe(files.length + 2);
    for (const status of ['ok', 'warning', 'error'] as const) expect(totals.by_status[status]).toBe(files.filter((f) => f.status === status).length);
    expect(totals.skipped).toBe(3);
    expect(totals.by_status.error).toBe(1);
    expect(totals.packets).toBe(files.reduce((n, f) => n + f.packets, 0));
    expect(totals.findings.total).toBe(files.reduce((n, f) => n + f.findings.total, 0));
    expect(totals.by_kind.reduce((n, k) => n + k.findings, 0)).toBe(totals.findings.total);
    for (const l of totals.by_listener) {
      expect(l.findings.total).toBe(files.flatMap((f) => f.listeners).filter((x) => x.listener === l.listener).reduce((n, x) => n + x.findings.total, 0));
    }
  });

  it('writes per file the report `analyze` writes for that file alone', async () => {
    for (const entry of run.index.files.filter((f) => f.reports !== null && !f.members)) {
      const alone = await reportCapture(join(dir, entry.file), {
        file: entry.file, sizeBytes: statSync(join(dir, entry.file)).size, detect: { thresholds: DEFAULT_THRESHOLDS },
      });
      expect(readReport(join(dir, 'out'), entry.reports?.json ?? '')).toEqual(JSON.parse(JSON.stringify(alone)));
    }
  });

  it('the HTML report is the one `analyze --html` writes', () => {
    const lab = byFile.get('in/lab/lo-teardown-mix.pcap');
    expect(tcpteardown(['analyze', 'in/lab/lo-teardown-mix.pcap', '--html', 'alone.html', '--quiet'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'out', lab?.reports?.html ?? ''), 'utf8')).toBe(readFileSync(join(dir, 'alone.html'), 'utf8'));
  });

  it('index.html lists every entry, links its report, and escapes names', () => {
    const page = readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    for (const f of run.index.files) expect(page).toContain(f.reports === null ? f.file : `href="${f.reports.html}"`);
    expect(page).toContain('in/lab/&lt;i&gt;odd &amp; &quot;name&quot;.pcap');
    expect(page).not.toContain('<i>odd');
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });
});

describe('exit codes', () => {
  it.each<[string, number, string[]]>([
    ['clean', 0, ['in/lab']],
    ['findings at or above --fail-on', 1, ['in/lab', '--fail-on', 'warning']],
    ['an unreadable input', 2, ['in']],
    ['both', 3, ['in', '--fail-on', 'warning']],
  ])('%s: %d', (_what, code, args) => {
    expect(scan(args, `out-${code}`).code).toBe(code);
  });

  it('a file named on the command line must be a capture; a missing path is an error too', () => {
    const { code, index } = scan(['in/lab', 'in/notes.txt', 'in/nope.pcap'], 'out-explicit');
    expect(code).toBe(2);
    expect(index.files.filter((f) => f.status === 'error')).toEqual([
      expect.objectContaining({ file: 'in/nope.pcap', error: 'no such file' }),
      expect.objectContaining({ file: 'in/notes.txt', error: expect.stringMatching(/^not a capture/) }),
    ]);
  });

  it('an output folder inside the scanned one is not scanned', () => {
    expect(scan(['in'], 'in/reports').index.skipped.map((s) => s.file)).toEqual(['in/empty.pcap', 'in/logs/server.log.gz', 'in/notes.txt']);
  });

  it('wrong usage: 64', () => {
    expect(tcpteardown(['scan', 'in', '--shard', '3/2'], dir).code).toBe(64);
    expect(tcpteardown(['scan', 'in', '--jobs', '0'], dir).code).toBe(64);
    expect(tcpteardown(['scan', '-'], dir).code).toBe(64);
  });
});
