/** The bounded fuzz run (`npm run fuzz` runs the long one) and the replay of every input the fuzzer
 * ever saved in regressions/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScale } from './support/fc-options';
import { fuzzOne } from './support/fuzz-target';
import { violations } from './support/invariants';
import { layout } from './support/layout';
import { runInput } from './support/outcome';
import { mutate, Rng } from './support/mutate';
import { loadSeeds, REGRESSIONS_DIR } from './support/seeds';
import { WorkerRunner } from './support/worker-runner';

/** Fixed by default so CI is repeatable; FUZZ_SEED=random (or a number) explores further. */
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 0x7fffffff : Number(process.env.FUZZ_SEED ?? 20240611);
const INPUTS = Math.round(3000 * runScale(100));
/** The small captures: mutating and reading them is quick, and they cover every format. */
const SEEDS = loadSeeds(12 * 1024);

it(`${INPUTS} mutated captures (seed ${SEED}): no crash, no hang, every invariant holds`, async () => {
  expect(SEEDS.length).toBeGreaterThanOrEqual(20);
  const failures: string[] = [];
  const rng = new Rng(SEED);
  for (let i = 0; i < INPUTS; i++) {
    const seed = SEEDS[i % SEEDS.length];
    const { bytes, steps } = mutate(seed.capture, rng, { gzip: seed.gzip });
    // Frame numbers are checked on every fourth input: a second read of each would double the time.
    const result = await fuzzOne(bytes, i, 5000, { frames: i % 4 === 0 });
    if (result.verdict !== 'ok') {
      failures.push(`input ${i} (FUZZ_SEED=${SEED}; ${seed.name}: ${steps.join(', ')}): ${result.problems.join('; ')}`);
      if (failures.length >= 5) break;
    }
  }
  expect(failures).toEqual([]);
}, Math.max(60_000, 20 * INPUTS));

/** Inputs are <hash>.pcap|pcapng|gz|bin, each with a <hash>.txt note. */
it('duplicated, reordered and re-dated pcap records are every one counted, with no damage reported', async () => {
  const rng = new Rng(SEED + 1);
  const pcaps = SEEDS.filter((s) => layout(s.capture).format === 'pcap' && layout(s.capture).end === s.capture.length);
  expect(pcaps.length).toBeGreaterThanOrEqual(10);
  for (let i = 0; i < Math.round(300 * runScale(100)); i++) {
    const seed = pcaps[i % pcaps.length];
    const { bytes, steps } = mutate(seed.capture, rng, { only: ['duplicate-unit', 'swap-units', 'timestamps-backwards', 'delete-unit'] });
    const outcome = await runInput(bytes, { kind: 'random', seed: i, max: 512 });
    const context = `input ${i} (${seed.name}: ${steps.join(', ')})`;
    expect([context, violations(outcome)]).toEqual([context, []]);
    if (outcome.kind !== 'ok') throw new Error(`${context}: ${outcome.kind}`);
    expect([context, outcome.analysis.packets, outcome.analysis.issues]).toEqual([context, layout(bytes).units.length, []]);
  }
});

const REGRESSIONS = existsSync(REGRESSIONS_DIR) ? readdirSync(REGRESSIONS_DIR).filter((f) => /\.(pcap|pcapng|gz|bin)$/.test(f)).sort() : [];

describe('saved regressions', () => {
  // In a worker: a regression that hangs in a loop must fail the test, not freeze jest.
  const runner = new WorkerRunner();
  afterAll(() => runner.close());

  it('is a folder of inputs with notes', () => {
    for (const f of REGRESSIONS) expect([f, existsSync(join(REGRESSIONS_DIR, `${f.replace(/\.[^.]+$/, '')}.txt`))]).toEqual([f, true]);
  });

  it.each(REGRESSIONS.length > 0 ? REGRESSIONS : ['(none)'])('%s no longer fails', async (name) => {
    if (name === '(none)') return;
    const bytes = readFileSync(join(REGRESSIONS_DIR, name));
    // Through every chunking the fuzzer uses.
    for (let chunkSeed = 0; chunkSeed < 4; chunkSeed++) {
      const result = await runner.run(bytes, chunkSeed, 10_000, name.endsWith('.gz') ? 8 * bytes.length : bytes.length);
      expect([chunkSeed, result.verdict, result.problems]).toEqual([chunkSeed, 'ok', []]);
    }
  }, 60_000);
});
