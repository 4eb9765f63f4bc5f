/** Removes the run's temporary folder that temp-folder-setup.ts made, and puts TMPDIR back. */
import { rmSync } from 'node:fs';
import { OUTER_TMPDIR } from './temp-folder-setup';

export default function tearDown(): void {
  const outer = process.env[OUTER_TMPDIR];
  // Only after that setup: never a TMPDIR that came from outside.
  if (outer === undefined || process.env.TMPDIR === undefined) return;
  rmSync(process.env.TMPDIR, { recursive: true, force: true });
  if (outer === '') delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
  delete process.env[OUTER_TMPDIR];
}
