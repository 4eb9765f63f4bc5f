/** Every test's temporary files, and those of the commands the tests run, go into one folder made for
 * the run and removed after it: tests make hundreds of folders under the system's temporary folder
 * (reports, browser profiles, captures), and a run that fails half-way cannot clean up each one. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setUp(): void {
  // Set before Jest starts its workers, so they and every command they spawn inherit it.
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'tcpteardown-tests-'));
}
