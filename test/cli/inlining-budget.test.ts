/** The inlining budget is set only when several threads analyse at once, and is a flag this Node's V8
 * knows (V8 prints "unrecognized flag" for one it does not, and goes on without it). */
import { spawnSync } from 'node:child_process';
import { inliningFlags } from '../../src/cli/inlining-budget';

function v8Says(flag: string): string {
  const r = spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(flag)})`], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return `${r.stdout}${r.stderr}`;
}

describe('inlining budget', () => {
  it('is lowered for two threads or more, and left alone for one', () => {
    expect(inliningFlags(1)).toEqual([]);
    expect(inliningFlags(2)).toEqual(['--max-inlined-bytecode-size-cumulative=240']);
    expect(inliningFlags(16)).toEqual(inliningFlags(2));
  });

  it('is a flag V8 takes without a word (an unknown one is reported)', () => {
    for (const flag of inliningFlags(2)) expect(v8Says(flag)).toBe('');
    expect(v8Says('--max-inlined-bytecode-size-cumulatve=240')).toMatch(/unrecognized flag/);
  });
});
