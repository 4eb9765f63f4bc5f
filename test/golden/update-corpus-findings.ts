/** Rewrites corpus-findings.json (npm run golden:update). Review the diff line by line before committing:
 * a golden file regenerated blindly proves nothing. */
import { writeFileSync } from 'node:fs';
import { corpusCaptures } from '../support/corpus';
import { findingLines, GOLDEN_PATH } from './corpus-findings';

(async () => {
  const golden: Record<string, string[]> = {};
  for (const capture of corpusCaptures()) golden[capture] = await findingLines(capture);
  writeFileSync(GOLDEN_PATH, `${JSON.stringify(golden, null, 1)}\n`);
  process.stdout.write(`wrote ${GOLDEN_PATH}\n`);
})();
