/** npm run lab -- <scenario|all> [--out DIR]: records scenarios into captures/ (as root). */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { labUnavailable } from './lab-available';
import { destroyAllLabs, reapStaleLabs } from './netns';
import { REPO_ROOT } from './peers';
import { recordScenario } from './record-scenario';
import { findScenario, SCENARIOS } from './scenarios';

function usage(): never {
  process.stderr.write(`usage: npm run lab -- <${SCENARIOS.map((s) => s.name).join('|')}|all> [--out DIR]\n`);
  process.exit(64);
}

async function main(): Promise<void> {
  const [name, outFlag, outValue] = process.argv.slice(2);
  if (name === undefined || (outFlag !== undefined && (outFlag !== '--out' || outValue === undefined))) usage();
  const chosen = name === 'all' ? SCENARIOS : [findScenario(name) ?? usage()];
  const missing = labUnavailable();
  if (missing !== null) throw new Error(`cannot run here: ${missing}`);
  const outDir = resolve(outValue ?? join(REPO_ROOT, 'captures'));
  mkdirSync(outDir, { recursive: true });
  reapStaleLabs();
  for (const scenario of chosen) {
    const started = Date.now();
    const truth = await recordScenario(scenario, { outDir });
    const files = truth.captures.map((c) => `${c.file} (${c.packets} packets)`).join(', ');
    process.stdout.write(`${scenario.name}: ${((Date.now() - started) / 1000).toFixed(1)} s, capture ${truth.timing.duration_s.toFixed(1)} s, `
      + `${truth.connections.length} connections; ${files}\n`);
  }
}

// Ctrl-C or a kill: tear the namespaces down (and what runs inside them) before going.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    destroyAllLabs();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
process.on('exit', destroyAllLabs);

main().catch((e: unknown) => {
  process.stderr.write(`lab: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
