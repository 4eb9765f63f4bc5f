/** Every finding on every public corpus capture, against the reviewed golden file. */
import { existsSync, readFileSync } from 'node:fs';
import { corpusAvailable, corpusCaptures } from '../support/corpus';
import { findingLines, GOLDEN_PATH } from './corpus-findings';

const golden = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Record<string, string[]>;
const captures = corpusAvailable() ? corpusCaptures() : [];

(captures.length > 0 ? describe : describe.skip)('findings on the public corpus match the reviewed golden file', () => {
  it('covers every corpus capture', () => {
    expect(Object.keys(golden).sort()).toEqual(captures);
  });

  (captures.length > 0 ? it.each(captures) : it.skip.each(['(no corpus)']))('%s', async (capture) => {
    expect(existsSync(GOLDEN_PATH)).toBe(true);
    expect(await findingLines(capture)).toEqual(golden[capture]);
  });
});
