import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ScanIndex } from './index-model';
import { writeIndex } from './index-writer';
import { mergeIndexes, MergeError, type ShardIndex } from './merge-indexes';
import { isReportPath } from './report-names';

/** Reads the index.json of every shard, writes the merged index to `out` and copies the per-file
 * reports beside it, so `out` looks like the output of one single-machine run. */
export async function mergeRuns(indexFiles: readonly string[], out: string): Promise<ScanIndex> {
  const shards = await Promise.all(indexFiles.map(readShard));
  const merged = mergeIndexes(shards);
  await mkdir(out, { recursive: true });
  for (const { path, index } of shards) {
    for (const report of index.files.flatMap((f) => (f.reports ? [f.reports.html, f.reports.json] : []))) {
      if (!isReportPath(report)) throw new MergeError(`${path}: report path '${report}' is not one scan writes`);
      const target = join(out, report);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(dirname(path), report), target);
    }
  }
  await writeIndex(out, merged);
  return merged;
}

async function readShard(path: string): Promise<ShardIndex> {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new MergeError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return { path, index: JSON.parse(text) as ScanIndex };
  } catch {
    throw new MergeError(`${path}: not JSON`);
  }
}
