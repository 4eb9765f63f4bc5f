/** --html and --md on the built command: default paths under reports/, standard output, standard input. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcap } from '../support/capture-writer';
import { incidentScripts } from '../support/incident-script';
import { mergeScripts } from '../support/tcp-script';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SHIPPED = join(ROOT, 'captures', 'lo-teardown-mix.pcap');

function run(cwd: string, args: string[], input?: Buffer): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

describe('--html and --md', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'tcpteardown-docs-'));
  });

  it('without a value, write reports/<capture>.html and .md and say where', () => {
    const r = run(cwd, ['analyze', SHIPPED, '--html', '--md']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('HTML report: reports/lo-teardown-mix.pcap.html\nMarkdown report: reports/lo-teardown-mix.pcap.md\n');
    expect(r.stdout).toContain('More: tcpteardown explain');
    const html = readFileSync(join(cwd, 'reports', 'lo-teardown-mix.pcap.html'), 'utf8');
    // The aborted connection (frames 22-29), every packet read back from the capture.
    const ladder = /<svg class="ladder"[^>]*data-connection="2">([\s\S]*?)<\/svg>/.exec(html)?.[1] ?? '';
    expect([...ladder.matchAll(/<g class="pkt[^"]*" data-frame="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([22, 23, 24, 25, 26, 27, 28, 29]);
    expect(readFileSync(join(cwd, 'reports', 'lo-teardown-mix.pcap.md'), 'utf8')).toMatch(/^# How the TCP connections of /);
  });

  it('keep the default path inside reports/ whatever the capture is called', () => {
    const dir = join(cwd, 'in');
    mkdirSync(dir);
    const name = '<b> "x" & y.pcap';
    writeFileSync(join(dir, name), writePcap(mergeScripts(...incidentScripts({ checks: 3 }))));
    expect(run(cwd, ['analyze', join('in', name), '--html', '--quiet']).code).toBe(0);
    expect(existsSync(join(cwd, 'reports', '_b___x____y.pcap.html'))).toBe(true);
  });

  it('--md - writes Markdown to standard output instead of the first screen', () => {
    const r = run(cwd, ['analyze', SHIPPED, '--md', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# How the TCP connections of `.*lo-teardown-mix\.pcap` ended\n/);
    expect(r.stdout).not.toContain('More: tcpteardown');
  });

  it('from standard input, the ladders draw the teardown events and say why', () => {
    const r = run(cwd, ['analyze', '-', '--html', 'out.html', '--quiet'], readFileSync(SHIPPED));
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'out.html'), 'utf8')).toContain('The capture came from standard input and could not be read a second time');
  });

  it('only one document can go to standard output', () => {
    const r = run(cwd, ['analyze', SHIPPED, '--json', '-', '--md', '-']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('only one of --json, --html and --md can write to standard output');
  });
});
