/** Every test's temporary files, and those of the commands the tests run, go into one folder made for
 * the run and removed after it: tests make hundreds of folders under the system's temporary folder
 * (reports, browser profiles, captures), and a run that fails half-way cannot clean up each one. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The TMPDIR the run started with ('' for none), put back by the teardown: `jest --watch` runs the setup
 * and the teardown again in the same process. */
export const OUTER_TMPDIR = 'TCPTEARDOWN_TESTS_OUTER_TMPDIR';

export default function setUp(): void {
  process.env[OUTER_TMPDIR] = process.env.TMPDIR ?? '';
  // Set before Jest starts its workers, so they and every command they spawn inherit it.
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'tcpteardown-tests-'));
}
