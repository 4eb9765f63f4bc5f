/** Removes the run's temporary folder that temp-folder-setup.ts made. */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';

export default function tearDown(): void {
  const folder = process.env.TMPDIR;
  // Only the folder the setup made: never a TMPDIR that came from outside.
  if (folder !== undefined && basename(folder).startsWith('tcpteardown-tests-')) rmSync(folder, { recursive: true, force: true });
}
