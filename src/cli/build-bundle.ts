/** The second step of `npm run build`, after tsc: bundles the command and its worker threads with esbuild
 * into dist/bundle/, one file each (their __dirname is that folder, where each finds the others), then
 * makes the command's code cache in a Node of its own (prime-code-cache.ts), whose reports go nowhere
 * and whose messages are shown only if it fails, and makes dist/cli/main.js executable. That Node gets
 * no NODE_OPTIONS: V8 stamps the cache with its flags, and `tcpteardown` started without them would not
 * take it. */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const DIST = join(__dirname, '..');
const BUNDLES = join(DIST, 'bundle');

function fail(message: string): never {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

rmSync(BUNDLES, { recursive: true, force: true });
try {
  buildSync({
    entryPoints: ['cli/program.js', 'replay/replay-worker.js', 'scan/worker.js'].map((entry) => join(DIST, entry)),
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outdir: BUNDLES, entryNames: '[name]', logLevel: 'warning',
  });
} catch {
  fail('esbuild could not bundle the command (its messages are above)');
}
const { NODE_OPTIONS: _, ...env } = process.env;
const prime = spawnSync(process.execPath, [join(__dirname, 'prime-code-cache.js')], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env });
if (prime.error !== undefined) fail(`could not start Node to make the code cache: ${prime.error.message}`);
if (prime.status !== 0) fail(`making the code cache, the bundled command exited with ${prime.status ?? prime.signal}:\n${prime.stderr.trimEnd()}`);
chmodSync(join(DIST, 'cli', 'main.js'), 0o755);
