/** N shards merged give what one machine gives: the same index.json, index.html and reports. */
import { join } from 'node:path';
import { buildScanFolder } from './scan-folder';
import { folderContents, readIndex, tcpteardown, tempDir } from './scan-cli';

const dir = tempDir('shards');
buildScanFolder(dir);
const SHARDS = 3;

function scan(out: string, ...extra: string[]): number | null {
  return tcpteardown(['scan', 'in', '--out', out, '--quiet', '--fail-on', 'critical', ...extra], dir).code;
}

describe('--shard K/N and merge', () => {
  const indexes = Array.from({ length: SHARDS }, (_, k) => `shard-${k + 1}/index.json`);
  let single: number | null;
  let shardCodes: (number | null)[];
  beforeAll(() => {
    single = scan('single');
    shardCodes = Array.from({ length: SHARDS }, (_, k) => scan(`shard-${k + 1}`, '--shard', `${k + 1}/${SHARDS}`));
  });

  it('every capture set lands in exactly one shard, merged sets whole', () => {
    const all = readIndex(join(dir, 'single'));
    const shards = indexes.map((p) => readIndex(join(dir, p, '..')));
    expect(shards.flatMap((s) => s.files.map((f) => f.file)).sort()).toEqual(all.files.map((f) => f.file));
    expect(shards.flatMap((s) => s.skipped).length).toBe(all.skipped.length);
    expect(shards.flatMap((s) => s.files).find((f) => f.members)?.members).toHaveLength(3);
    for (const s of shards) expect(s.files.length).toBeLessThan(all.files.length);
  });

  it('merged shards equal the single-machine run, file for file, exit code included', () => {
    const r = tcpteardown(['merge', ...indexes, '--out', 'merged', '--quiet'], dir);
    expect(r.stderr).toMatch(/corrupt\.pcapng/);
    expect(r.code).toBe(single);
    expect(shardCodes).toContain(single);
    expect(folderContents(join(dir, 'merged'))).toEqual(folderContents(join(dir, 'single')));
  });

  it('refuses a missing shard, a shard twice, shards of other options or a whole run: 64', () => {
    const refuse = (args: string[], message: RegExp): void => {
      const r = tcpteardown(['merge', ...args, '--out', 'refused'], dir);
      expect(r).toMatchObject({ code: 64, stderr: expect.stringMatching(message) });
    };
    refuse(indexes.slice(1), /shard 1\/3 missing/);
    refuse([...indexes, indexes[0]], /both shard 1\/3/);
    refuse(['single/index.json', ...indexes], /not a shard/);
    expect(scan('other-options', '--shard', `1/${SHARDS}`, '--merge', 'none')).not.toBeNull();
    refuse(['other-options/index.json', ...indexes.slice(1)], /other options/);
    refuse(['nope/index.json'], /no such file/);
  });
});
