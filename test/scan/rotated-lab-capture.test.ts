/** The lab's capture of the incident, split every 2 s as a rotating recorder would (editcap -i 2 names the
 * files like dumpcap's ring buffer): scanned with --merge auto it gives the report of the unsplit capture,
 * and the late FINs that cross file boundaries are found; analysed file by file they are lost. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { reportCapture } from '../../src/pipeline';
import type { ReportJson } from '../../src/report/report-model';
import { readIndex, readReport, ROOT, tcpteardown, tempDir } from './scan-cli';

const CAPTURE = join(ROOT, 'captures', 'keepalive-starvation.pcap');
const SCALED = ['--half-close', '1s', '--late-fin', '1s', '--accept-delay', '1s'];
const editcap = spawnSync('editcap', ['-h'], { stdio: 'ignore' }).status === 0;
if (!editcap && process.env.CI) throw new Error('editcap is missing (test/lab/install-deps.sh installs it with tshark)');

(editcap ? describe : describe.skip)('a lab capture split into a rotated set', () => {
  const dir = tempDir('lab-rotated');
  mkdirSync(join(dir, 'in'));

  /** What does not depend on how the capture was cut into files. */
  const timeline = (r: ReportJson): object => {
    const { file: _file, size_bytes: _size, ...input } = r.input;
    return { ...r, input };
  };

  it('--merge auto rebuilds the connections whole, as in the unsplit capture', async () => {
    expect(spawnSync('editcap', ['-F', 'pcap', '-i', '2', CAPTURE, join(dir, 'in', 'ks.pcap')]).status).toBe(0);
    expect(readdirSync(join(dir, 'in')).length).toBeGreaterThanOrEqual(4);
    const r = tcpteardown(['scan', 'in', '--out', 'out', '--quiet', ...SCALED], dir);
    expect(r.stderr).toBe('');
    const index = readIndex(join(dir, 'out'));
    expect(index.files).toHaveLength(1);
    expect(index.files[0].members?.length).toBe(readdirSync(join(dir, 'in')).length);
    const merged = readReport(join(dir, 'out'), index.files[0].reports?.json ?? '');
    const thresholds = { ...DEFAULT_THRESHOLDS, halfCloseS: 1, lateFinS: 1, acceptDelayS: 1 };
    const whole = JSON.parse(JSON.stringify(await reportCapture(CAPTURE, { file: 'whole', sizeBytes: 0, detect: { thresholds } }))) as ReportJson;
    expect(timeline(merged)).toEqual(timeline(whole));
    expect(merged.findings.map((f) => f.kind)).toContain('rst-after-late-fin');
  });

  it('--merge none loses the late FINs at the cuts', () => {
    const r = tcpteardown(['scan', 'in', '--out', 'alone', '--merge', 'none', '--quiet', ...SCALED], dir);
    expect(r.stderr).toBe('');
    expect(readIndex(join(dir, 'alone')).totals.findings.by_kind['rst-after-late-fin']).toBeUndefined();
  });
});
