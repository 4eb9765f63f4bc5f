/** Mutation fuzzer: `npm run fuzz -- [--seconds S] [--iterations N] [--seed X] [--timeout-ms T]`.
 *
 * Mutates every capture in ../shared/corpus/captures and captures/ (bit flips, byte overwrites,
 * truncations, lying lengths, duplicated / swapped / deleted records, out-of-range interface ids,
 * extra sections and blocks, backward timestamps, gzip layers), runs each input through
 * analyzeCapture in a worker thread with a per-input timeout, and judges it by the invariants of
 * support/invariants.ts. A crash (an exception other than CaptureError, or a broken invariant) or a
 * hang is shrunk, then saved as test/robustness/regressions/<hash>.<ext> with a <hash>.txt note;
 * the jest suite replays every file there. One bug is saved once (by its masked message).
 *
 * Options:
 *   --seconds S        stop after S seconds (default 60 unless --iterations is given)
 *   --iterations N     stop after N inputs
 *   --seed X           run seed (default: from the clock; printed, so a run can be repeated)
 *   --iteration I      run only input I of that seed (to reproduce one input)
 *   --timeout-ms T     per-input limit (default 10000, plus 1 ms per 2 KB of input)
 *   --no-save          report, but write nothing
 *   --dir D            also mutate the captures in D (repeatable) */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { signature, type FuzzResult } from './support/fuzz-target';
import { formatOf, layout } from './support/layout';
import { mutate, Rng } from './support/mutate';
import { loadSeed, REGRESSIONS_DIR, SEED_DIRS, seedPaths, type Seed } from './support/seeds';
import { WorkerRunner } from './support/worker-runner';

/** Hangs cannot be told apart by a message: keep the first few of a run, shrunk a little. */
const MAX_HANGS_SAVED = 3;
const HANG_SHRINK_ATTEMPTS = 20;
const CRASH_SHRINK_ATTEMPTS = 400;

interface Options {
  seconds: number;
  iterations: number;
  seed: number;
  iteration: number | null;
  timeoutMs: number;
  save: boolean;
  dirs: string[];
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: Infinity, iterations: Infinity, seed: Date.now() % 0x7fffffff, iteration: null, timeoutMs: 10_000, save: true, dirs: [...SEED_DIRS] };
  const num = (i: number): number => {
    const v = Number(argv[i]);
    if (argv[i] === undefined || !Number.isFinite(v)) throw new Error(`${argv[i - 1]} wants a number`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case '--seconds': o.seconds = num(++i); break;
      case '--iterations': o.iterations = num(++i); break;
      case '--seed': o.seed = num(++i); break;
      case '--iteration': o.iteration = num(++i); break;
      case '--timeout-ms': o.timeoutMs = num(++i); break;
      case '--no-save': o.save = false; break;
      case '--dir': o.dirs.push(argv[++i]); break;
      default: throw new Error(`unknown argument ${argv[i]} (see the comment at the top of test/robustness/fuzz.ts)`);
    }
  }
  if (o.seconds === Infinity && o.iterations === Infinity) o.seconds = 60;
  if (o.iteration !== null) o.iterations = 1;
  return o;
}

/** Time per KB, with 5 ms of fixed cost forgiven (tiny inputs are all overhead). */
function perKb(s: { ms: number; bytes: number }): number {
  return Math.max(0, s.ms - 5) / Math.max(1, s.bytes / 1024);
}

function extensionOf(bytes: Buffer): string {
  const f = formatOf(bytes);
  return f === 'gzip' ? 'gz' : f === 'unknown' ? 'bin' : f;
}

/** Signatures already saved in regressions/ (their notes carry a "signature:" line). */
function knownSignatures(): Set<string> {
  const known = new Set<string>();
  if (!existsSync(REGRESSIONS_DIR)) return known;
  for (const f of readdirSync(REGRESSIONS_DIR).filter((n) => n.endsWith('.txt'))) {
    const line = readFileSync(join(REGRESSIONS_DIR, f), 'utf8').split('\n').find((l) => l.startsWith('signature: '));
    if (line) known.add(line.slice('signature: '.length));
  }
  return known;
}

/** Smaller inputs that fail the same way: cut at record boundaries, then drop records. */
async function shrink(runner: WorkerRunner, bytes: Buffer, failed: (r: FuzzResult) => boolean, chunkSeed: number, timeoutMs: number, maxAttempts: number): Promise<Buffer> {
  let best = bytes;
  let attempts = 0;
  const fails = async (candidate: Buffer): Promise<boolean> => {
    attempts++;
    return failed(await runner.run(candidate, chunkSeed, timeoutMs));
  };
  if (formatOf(best) === 'gzip') return best;
  for (let pass = 0; pass < 3 && attempts < maxAttempts; pass++) {
    const before = best.length;
    const l = layout(best);
    // Shortest prefix ending at a unit boundary (or the end of the walk) that still fails.
    for (const u of l.units) {
      const cut = u.offset + u.length;
      if (cut >= best.length || attempts >= maxAttempts) break;
      const candidate = best.subarray(0, cut);
      if (await fails(candidate)) {
        best = Buffer.from(candidate);
        break;
      }
    }
    // Drop single units from the end backwards (keeps the section and interface blocks if needed).
    const units = layout(best).units;
    for (let i = units.length - 1; i >= 0 && attempts < maxAttempts; i--) {
      const u = units[i];
      const candidate = Buffer.concat([best.subarray(0, u.offset), best.subarray(u.offset + u.length)]);
      // Units before i keep their offsets when a later one goes, so the old layout still serves.
      if (await fails(candidate)) best = candidate;
    }
    if (best.length === before) break;
  }
  return best;
}

function save(bytes: Buffer, note: string[]): string {
  mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const file = join(REGRESSIONS_DIR, `${hash}.${extensionOf(bytes)}`);
  writeFileSync(file, bytes);
  writeFileSync(join(REGRESSIONS_DIR, `${hash}.txt`), `${note.join('\n')}\n`);
  return file;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const seeds: Seed[] = seedPaths(o.dirs).map(loadSeed).filter((s) => s.capture.length > 0);
  if (seeds.length === 0) throw new Error(`no captures found in ${o.dirs.join(', ')}`);
  const known = o.save ? knownSignatures() : new Set<string>();
  const runner = new WorkerRunner();
  let hangsSaved = 0;
  const started = Date.now();
  const totals = { tried: 0, ok: 0, captureErrors: 0, crashes: 0, hangs: 0, saved: 0, packets: 0, bytes: 0 };
  const found = new Map<string, number>();
  const perSeed = new Map<string, number>();
  const coverage = new Map<string, number>();
  /** The slowest inputs per byte: superlinear time shows up here long before a timeout. */
  let slowest: { i: number; ms: number; bytes: number; seed: string; steps: string[] }[] = [];
  console.log(`fuzz: run seed ${o.seed}, ${seeds.length} captures, ${o.iterations === Infinity ? `${o.seconds} s` : `${o.iterations} inputs`}, per-input timeout ${o.timeoutMs} ms`);
  let lastReport = Date.now();

  for (let i = o.iteration ?? 0; i < (o.iteration ?? 0) + o.iterations; i++) {
    if ((Date.now() - started) / 1000 >= o.seconds) break;
    const rng = new Rng((o.seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    // Big captures are slow to mutate and read: pick them a tenth as often.
    let seed = rng.pick(seeds);
    while (seed.capture.length > 256 * 1024 && !rng.chance(0.1)) seed = rng.pick(seeds);
    const { bytes, steps, captureBytes } = mutate(seed.capture, rng, { gzip: seed.gzip && rng.chance(0.5) });
    const chunkSeed = rng.int(0x7fffffff);
    const result = await runner.run(bytes, chunkSeed, o.timeoutMs, captureBytes);
    totals.tried++;
    totals.bytes += bytes.length;
    totals.packets += result.packets;
    perSeed.set(seed.name, (perSeed.get(seed.name) ?? 0) + 1);
    for (const c of result.codes) coverage.set(c, (coverage.get(c) ?? 0) + 1);
    if (result.verdict !== 'hang') {
      slowest.push({ i, ms: result.ms, bytes: Math.max(bytes.length, result.bytesRead), seed: seed.name, steps });
      slowest = slowest.sort((a, b) => perKb(b) - perKb(a)).slice(0, 5);
    }
    if (result.verdict === 'ok') {
      if (result.outcome === 'capture-error') totals.captureErrors++;
      else totals.ok++;
    } else {
      if (result.verdict === 'hang') totals.hangs++;
      else totals.crashes++;
      const sig = result.verdict === 'hang' ? `hang: ${seed.name}` : signature(result.problems);
      found.set(sig, (found.get(sig) ?? 0) + 1);
      const hang = result.verdict === 'hang';
      if (!known.has(sig) && !(hang && hangsSaved >= MAX_HANGS_SAVED)) {
        known.add(sig);
        console.log(`\n${result.verdict.toUpperCase()} at input ${i} (${seed.name}: ${steps.join(', ')}):\n  ${result.problems.join('\n  ')}`);
        if (o.save) {
          const failed = (r: FuzzResult): boolean => (hang ? r.verdict === 'hang' : r.verdict === 'crash' && signature(r.problems) === sig);
          const small = await shrink(runner, bytes, failed, chunkSeed, o.timeoutMs, hang ? HANG_SHRINK_ATTEMPTS : CRASH_SHRINK_ATTEMPTS);
          if (hang) hangsSaved++;
          const file = save(small, [
            `${result.verdict}: ${result.problems[0]}`,
            ...result.problems.slice(1).map((p) => `  also: ${p}`),
            `signature: ${sig}`,
            `found by: npm run fuzz -- --seed ${o.seed} --iteration ${i}`,
            `mutated from: ${seed.name} (${steps.join(', ')}), chunking seed ${chunkSeed}`,
            `size: ${small.length} bytes (shrunk from ${bytes.length})`,
          ]);
          totals.saved++;
          console.log(`  saved ${relative(process.cwd(), file)} (${small.length} bytes)`);
        }
      }
    }
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      const s = (Date.now() - started) / 1000;
      console.log(`  ${s.toFixed(0)} s: ${totals.tried} inputs (${(totals.tried / s).toFixed(0)}/s), ${totals.crashes} crashes, ${totals.hangs} hangs`);
    }
  }
  await runner.close();
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nfuzz totals (seed ${o.seed}, ${seconds.toFixed(1)} s):`);
  console.log(`  inputs tried:    ${totals.tried} (${(totals.bytes / 1e6).toFixed(1)} MB, ${totals.packets} packets read) from ${perSeed.size} of ${seeds.length} captures`);
  console.log(`  read fine:       ${totals.ok}`);
  console.log(`  CaptureError:    ${totals.captureErrors} (unreadable as a capture: an accepted outcome)`);
  console.log(`  crashes:         ${totals.crashes} (${[...found.keys()].filter((k) => !k.startsWith('hang')).length} distinct)`);
  console.log(`  hangs:           ${totals.hangs}`);
  console.log(`  saved:           ${totals.saved} new regression file(s)`);
  for (const [sig, n] of found) console.log(`    ${n} x ${sig}`);
  console.log('  exercised (inputs):');
  for (const [code, n] of [...coverage].sort()) console.log(`    ${code.padEnd(34)} ${n}`);
  console.log('  slowest per byte (reproduce with --seed and --iteration):');
  for (const s of slowest) {
    console.log(`    --iteration ${s.i}: ${s.ms.toFixed(0)} ms for ${s.bytes} bytes (${perKb(s).toFixed(3)} ms/KB) ${s.seed}: ${s.steps.join(', ')}`);
  }
  process.exitCode = totals.crashes + totals.hangs > 0 ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(`fuzz: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
