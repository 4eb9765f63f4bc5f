/** The second step of `npm run build`, after tsc: bundles the command and its worker threads with esbuild
 * into dist/bundle/, one file each (their __dirname is that folder, where each finds the others), then
 * makes the command's code cache in a Node of its own (prime-code-cache.ts), whose reports go nowhere
 * and whose messages are shown only if it fails, and makes dist/cli/main.js executable. */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const DIST = join(__dirname, '..');
const BUNDLES = join(DIST, 'bundle');

rmSync(BUNDLES, { recursive: true, force: true });
buildSync({
  entryPoints: ['cli/program.js', 'replay/replay-worker.js', 'scan/worker.js'].map((entry) => join(DIST, entry)),
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', outdir: BUNDLES, entryNames: '[name]', logLevel: 'warning',
});
const prime = spawnSync(process.execPath, [join(__dirname, 'prime-code-cache.js')], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (prime.status !== 0) {
  process.stderr.write(`build: the bundled command failed on the shipped capture (${prime.status ?? prime.signal}):\n${prime.stderr}`);
  process.exit(1);
}
chmodSync(join(DIST, 'cli', 'main.js'), 0o755);
