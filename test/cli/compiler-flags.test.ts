/** The compiler flags: the inlining budget only when several threads analyse at once and the capture is
 * not a large one, compiling on the analysing thread only when no CPU is left, and each a flag this Node's
 * V8 knows (V8 prints "unrecognized flag" for one it does not, and goes on without it). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compilerFlags } from '../../src/compiler-flags';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const SPY = join(ROOT, 'test', 'support', 'v8-flag-spy.js');
const CAPTURE = join(ROOT, 'captures', 'keepalive-starvation.pcap');

/** The V8 flags `analyze` sets on the capture at `CAPTURE`, read from a file or from standard input. */
function flagsOfAnalyze(fromStdin: boolean): string[] {
  const r = spawnSync(process.execPath, ['-r', SPY, CLI, 'analyze', fromStdin ? '-' : CAPTURE, '--threads', '2', '--no-progress'], {
    encoding: 'utf8', input: fromStdin ? readFileSync(CAPTURE) : undefined,
  });
  // 0, or 1 where it found something: the capture was analysed.
  expect([0, 1]).toContain(r.status);
  return [...r.stderr.matchAll(/^v8 flag: (.*)$/gm)].map((m) => m[1]);
}

function v8Says(flag: string): string {
  const r = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(flag)})`], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return `${r.stdout}${r.stderr}`;
}

const INLINING = '--max-inlined-bytecode-size-cumulative=240';
const IN_THE_FOREGROUND = '--no-concurrent-recompilation';

describe('compiler flags', () => {
  it('lower the inlining budget for two threads or more, and leave it alone for one', () => {
    expect(compilerFlags(1, true)).toEqual([]);
    expect(compilerFlags(2, true)).toEqual([INLINING]);
    expect(compilerFlags(16, true)).toEqual(compilerFlags(2, true));
  });

  it('leave the inlining budget alone for a large capture', () => {
    expect(compilerFlags(2, true, true)).toEqual([]);
    expect(compilerFlags(2, false, true)).toEqual([IN_THE_FOREGROUND]);
    expect(compilerFlags(1, true, true)).toEqual([]);
  });

  it('compile on the analysing threads when no CPU is left for the background', () => {
    expect(compilerFlags(1, false)).toEqual([IN_THE_FOREGROUND]);
    expect(compilerFlags(2, false)).toEqual([INLINING, IN_THE_FOREGROUND]);
  });

  it('are what analyze sets: the quarter budget for a small capture file, none for one of a size not known', () => {
    expect(flagsOfAnalyze(false)).toContain(INLINING);
    expect(flagsOfAnalyze(true)).not.toContain(INLINING);
  });

  it('are flags V8 takes without a word (an unknown one is reported)', () => {
    for (const flag of compilerFlags(2, false)) expect(v8Says(flag)).toBe('');
    expect(v8Says('--max-inlined-bytecode-size-cumulatve=240')).toMatch(/unrecognized flag/);
  });
});
