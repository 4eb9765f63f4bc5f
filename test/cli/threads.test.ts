/** How many threads `analyze` takes when --threads does not say: one for a small capture file, whose
 * replay thread would cost more to start than it saves; two for a large one, a gzip file (which holds
 * some ten times its size) or standard input, where two CPUs are usable. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureBytes, defaultThreads, largeCapture, TWO_THREADS_FROM_BYTES } from '../../src/cli/analyze-command';
import { FULL_INLINING_FROM_BYTES } from '../../src/compiler-flags';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const CAPTURES = join(ROOT, 'captures');

describe('default threads', () => {
  it('takes two for a capture of 2 MiB or more, or of a size not known, where two CPUs are usable', () => {
    expect(defaultThreads(TWO_THREADS_FROM_BYTES, 2)).toBe(2);
    expect(defaultThreads(TWO_THREADS_FROM_BYTES - 1, 2)).toBe(1);
    expect(defaultThreads(6_944, 2)).toBe(1);
    expect(defaultThreads(null, 2)).toBe(2);
    expect(defaultThreads(null, 16)).toBe(2);
    expect(defaultThreads(null, 1)).toBe(1);
    expect(defaultThreads(1 << 30, 1)).toBe(1);
  });

  it('counts a capture of 128 MiB or more, or of a size not known, as large (V8 inlines as it would)', () => {
    expect(FULL_INLINING_FROM_BYTES).toBe(128 << 20);
    expect(largeCapture(FULL_INLINING_FROM_BYTES)).toBe(true);
    expect(largeCapture(FULL_INLINING_FROM_BYTES - 1)).toBe(false);
    expect(largeCapture(27_561_354)).toBe(false);
    expect(largeCapture(null)).toBe(true);
  });

  it('counts a gzip file as of unknown size, and a capture as its size', () => {
    expect(captureBytes(join(CAPTURES, 'keepalive-starvation.pcap'), 6_944)).toBe(6_944);
    expect(captureBytes(join(CAPTURES, 'formats.pcapng.gz'), 1_000)).toBeNull();
  });

  it('reads a capture from a named pipe whole: nothing is read ahead to tell its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpteardown-fifo-'));
    try {
      const fifo = join(dir, 'capture.pipe');
      const capture = join(CAPTURES, 'keepalive-starvation.pcap');
      const viaPipe = spawnSync('bash', ['-c', `mkfifo "$1" && { cat "$2" > "$1" & } && exec "$3" "$4" analyze "$1" --json -`, 'sh', fifo, capture, process.execPath, CLI], { encoding: 'utf8' });
      const direct = spawnSync(process.execPath, [CLI, 'analyze', capture, '--json', '-'], { encoding: 'utf8' });
      expect(viaPipe.stderr).toBe('');
      const [a, b] = [viaPipe, direct].map((r) => JSON.parse(r.stdout) as { input: { packets: number }; connections: unknown[] });
      expect(a.input.packets).toBe(80);
      expect(a.connections).toEqual(b.connections);
      expect(readFileSync(capture).length).toBeLessThan(TWO_THREADS_FROM_BYTES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
