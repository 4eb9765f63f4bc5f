/** Run by build-bundle.ts: runs the bundled program once over the capture README's first command reads,
 * writing every kind of report, and keeps V8's code cache of what that compiled (see code-cache.ts). On
 * one thread, said outright: V8 stamps the cache with the flags in force when it is made, and a run on
 * two threads sets some (compiler-flags.ts), which no later run would match. The run exits as the program
 * did, so a bundle that fails fails the build. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCodeCache } from './code-cache';

const ROOT = join(__dirname, '..', '..');
const reports = mkdtempSync(join(tmpdir(), 'tcpteardown-code-cache-'));
process.on('exit', () => rmSync(reports, { recursive: true, force: true }));
writeCodeCache(join(ROOT, 'dist', 'bundle', 'program.js'), [
  'analyze', join(ROOT, 'captures', 'keepalive-starvation.pcap'), '--half-close', '1s', '--late-fin', '1s', '--accept-delay', '1s',
  '--threads', '1',
  '--json', join(reports, 'report.json'), '--html', join(reports, 'report.html'), '--md', join(reports, 'report.md'), '--no-progress',
]);
