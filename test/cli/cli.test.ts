/** The built command, as a user runs it: output, errors and exit codes (README "Exit codes"). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SHIPPED = join(ROOT, 'captures', 'lo-teardown-mix.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'tcpteardown-cli-'));

function run(args: string[], input?: Buffer): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, input, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function file(name: string, bytes: Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

describe('tcpteardown CLI', () => {
  it('analyze prints what was read, then the findings, and exits 0', () => {
    const r = run(['analyze', SHIPPED]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/lo-teardown-mix\.pcap · pcap \(µs\) · ethernet · .* · 31 packets · 4 connections/);
    expect(r.stdout).toContain('refused');
    expect(r.stderr).toBe('');
  });

  it('--fail-on warning exits 1 when there is a warning', () => {
    expect(run(['analyze', SHIPPED, '--fail-on', 'warning']).code).toBe(1);
    expect(run(['analyze', SHIPPED, '--fail-on', 'critical']).code).toBe(0);
  });

  it('--json - writes the report to stdout; stdin works as "-"', () => {
    const r = run(['analyze', '-', '--json', '-'], readFileSync(SHIPPED));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { schema: string; input: { file: string; packets: number } };
    expect(report).toMatchObject({ schema: 'tcpteardown.report/1', input: { file: '-', packets: 31 } });
  });

  it('--json FILE writes the file and says where', () => {
    const target = join(tmp, 'out', 'r.json');
    const r = run(['analyze', SHIPPED, '--json', target, '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toHaveProperty('connections');
  });

  it.each<[string, Buffer, RegExp]>([
    ['not-a-capture.txt', Buffer.from('hello, this is text\n'), /not-a-capture\.txt: not a capture file/],
    ['empty.pcap', Buffer.alloc(0), /empty\.pcap: .*empty/],
  ])('%s: one line naming the file, exit 2, no stack trace', (name, bytes, message) => {
    const r = run(['analyze', file(name, bytes)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('a missing file: exit 2', () => {
    const r = run(['analyze', join(tmp, 'nope.pcap')]);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/nope\.pcap: no such file/) });
  });

  it('a truncated capture is analysed up to the cut, with a warning naming the byte offset', () => {
    const whole = readFileSync(SHIPPED);
    const r = run(['analyze', file('cut.pcap', whole.subarray(0, whole.length - 30))]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/cut\.pcap: warning: .* at byte offset \d+; analysed up to there/);
    expect(r.stdout).toMatch(/30 packets/);
  });

  it('an output file that cannot be written: one line naming it, exit 73', () => {
    const blocker = file('blocker', Buffer.from('x'));
    const json = run(['analyze', SHIPPED, '--json', join(blocker, 'r.json')]);
    expect(json).toMatchObject({ code: 73, stderr: expect.stringMatching(/blocker\/r\.json: cannot write: a file stands where a folder is needed\n$/) });
    expect(run(['analyze', SHIPPED, '--json', tmp]).stderr).toMatch(/cannot write: is a folder/);
    expect(run(['analyze', SHIPPED, '--html', join(blocker, 'r.html')]).code).toBe(73);
  });

  it('wrong usage exits 64 with a one-line reason', () => {
    expect(run(['analyze', SHIPPED, '--half-close', 'soon'])).toMatchObject({ code: 64, stderr: expect.stringContaining("--half-close: 'soon' is not a duration") });
    expect(run(['analyze', SHIPPED, '--only', 'nonsense'])).toMatchObject({ code: 64, stderr: expect.stringContaining("unknown finding kind 'nonsense'") });
    expect(run([]).code).toBe(64);
  });

  it('a command without its files exits 64 with what to type, and does nothing else', () => {
    const lines = (r: { stderr: string }) => r.stderr.trimEnd().split('\n');
    const analyze = run(['analyze']);
    expect(analyze.code).toBe(64);
    expect(lines(analyze)).toEqual(['tcpteardown: name the capture to analyse, e.g.: tcpteardown analyze dump.pcap', "Run 'tcpteardown --help' for usage."]);
    // yargs gives the word after --json to --json; the capture is then missing, and the message says why.
    expect(lines(run(['analyze', '--json', 'dump.pcap']))[0]).toBe(
      "tcpteardown: name the capture to analyse, e.g.: tcpteardown analyze dump.pcap (--json took 'dump.pcap' as the file to write: if that is the capture, put it before --json)",
    );
    // The last option that took a word; an option's value before the command; scan has no --json of its own.
    expect(lines(run(['analyze', '--json', 'r.json', '--md', 'dump.pcap']))[0]).toContain("(--md took 'dump.pcap'");
    expect(lines(run(['--fail-on', 'warning', 'analyze']))[0]).toBe('tcpteardown: name the capture to analyse, e.g.: tcpteardown analyze dump.pcap');
    expect(lines(run(['--only', 'constructor', 'analyze']))[0]).toBe('tcpteardown: name the capture to analyse, e.g.: tcpteardown analyze dump.pcap');
    expect(lines(run(['scan', '--json', 'captures/']))[0]).toBe('tcpteardown: name the captures or folders to scan, e.g.: tcpteardown scan captures/');
    // In any language: the messages are matched in English.
    const empty = mkdtempSync(join(tmp, 'scan-'));
    const scan = spawnSync(process.execPath, [CLI, 'scan'], { cwd: empty, env: { ...process.env, LANG: 'fr_FR.UTF-8', LC_ALL: 'fr_FR.UTF-8' } });
    expect(scan.status).toBe(64);
    expect(scan.stdout.toString()).toBe('');
    expect(scan.stderr.toString().split('\n')[0]).toBe('tcpteardown: name the captures or folders to scan, e.g.: tcpteardown scan captures/');
    expect(lines(run(['merge']))).toHaveLength(2);
    // A scan of nothing used to run, and leave an empty reports folder behind.
    expect(readdirSync(empty)).toEqual([]);
  });

  it('explain KIND prints the long explanation; explain alone lists the kinds', () => {
    const r = run(['explain', 'rst-after-late-fin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tcp_fin_timeout');
    expect(run(['explain']).stdout.split('\n').filter(Boolean)).toHaveLength(13);
    expect(run(['explain', 'bogus']).code).toBe(64);
  });
});
