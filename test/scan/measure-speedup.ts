/** npx tsx test/scan/measure-speedup.ts [--files 16] [--connections 20000] [--repeat 3]
 * Parallel speed-up of `scan`: files/s with --jobs 1, 2, … up to the CPU count, on a folder of
 * generated captures (the benchmark's traffic, one seed per file; cached in the temp folder). Also
 * the cost of reading files whole for the rotated-set decision: --merge all on files that overlap in
 * time (so every file is read twice and none merged) against --merge none. Best of --repeat runs;
 * the CPU use (user + system over wall time, through GNU time) shows how much of the machine the
 * scan got: on a shared machine, other load caps the speed-up. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTraffic } from '../bench/traffic';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const files = option('files', 16);
const connections = option('connections', 20_000);
const repeat = option('repeat', 3);
const dir = join(tmpdir(), `tcpteardown-scan-speedup-${files}x${connections}`);

async function generate(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) {
    const path = join(dir, `host${String(i).padStart(2, '0')}.pcap`);
    if (!existsSync(path)) await writeTraffic({ connections, concurrent: 500, lifetimeS: 1, anomalyShare: 0.03, seed: i + 1 }, path, 'pcap');
  }
}

interface Timing {
  wallS: number;
  cpuS: number;
}

function best(args: string[]): Timing {
  let fastest: Timing = { wallS: Infinity, cpuS: 0 };
  for (let r = 0; r < repeat; r++) {
    const out = join(dir, '..', `tcpteardown-scan-speedup-out-${process.pid}`);
    const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', process.execPath, CLI, 'scan', dir, '--out', out, '--quiet', ...args], { encoding: 'utf8' });
    rmSync(out, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`scan ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    const [wallS, user, sys] = run.stderr.trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
    if (wallS < fastest.wallS) fastest = { wallS, cpuS: user + sys };
  }
  return fastest;
}

async function main(): Promise<void> {
  await generate();
  const bytes = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
  console.log(`${files} captures, ${(bytes / 1e6).toFixed(1)} MB, ${connections} connections each; best of ${repeat}; ${availableParallelism()} CPUs`);
  let one = 0;
  for (let jobs = 1; jobs <= Math.max(2, availableParallelism()); jobs++) {
    const t = best(['--jobs', String(jobs), '--merge', 'none']);
    if (jobs === 1) one = t.wallS;
    console.log(`--jobs ${jobs}: ${t.wallS.toFixed(2)} s, ${(files / t.wallS).toFixed(2)} files/s, ${(bytes / 1e6 / t.wallS).toFixed(1)} MB/s, `
      + `speed-up ${(one / t.wallS).toFixed(2)}×, CPU ${((t.cpuS / t.wallS) * 100).toFixed(0)} %`);
  }
  const jobs = String(availableParallelism());
  const none = best(['--jobs', jobs, '--merge', 'none']).wallS;
  const all = best(['--jobs', jobs, '--merge', 'all']).wallS;
  console.log(`reading every file whole first (--merge all, nothing merged): ${all.toFixed(2)} s against ${none.toFixed(2)} s (${((all / none - 1) * 100).toFixed(0)} %)`);
}

void main();
