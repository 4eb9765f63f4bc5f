import { buildIndex } from './index-build';
import { INDEX_SCHEMA, type ScanIndex } from './index-model';

/** Shard indexes that do not make one run (wrong set, different options): a one-line reason. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

export interface ShardIndex {
  /** Where it was read from, for messages. */
  path: string;
  index: ScanIndex;
}

/** The index of shards 1..N of one run, as a single-machine run would have written it. */
export function mergeIndexes(shards: readonly ShardIndex[]): ScanIndex {
  if (shards.length === 0) throw new MergeError('no index to merge');
  const first = shards[0];
  const count = first.index.shard?.count;
  const seen = new Map<number, string>();
  for (const { path, index } of shards) {
    if (index.schema !== INDEX_SCHEMA) throw new MergeError(`${path}: not a scan index (${INDEX_SCHEMA})`);
    if (index.shard === null) throw new MergeError(`${path}: not a shard (written without --shard)`);
    if (index.shard.count !== count) throw new MergeError(`${path}: shard ${index.shard.index}/${index.shard.count}, but ${first.path} is of ${count}`);
    const other = seen.get(index.shard.index);
    if (other !== undefined) throw new MergeError(`${path} and ${other} are both shard ${index.shard.index}/${count}`);
    seen.set(index.shard.index, path);
    for (const field of ['tool', 'inputs', 'options'] as const) {
      if (JSON.stringify(index[field]) !== JSON.stringify(first.index[field])) {
        throw new MergeError(`${path}: scanned with other ${field} than ${first.path} (${JSON.stringify(index[field])})`);
      }
    }
  }
  const missing = Array.from({ length: count ?? 0 }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new MergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing`);
  const { inputs, options } = first.index;
  return buildIndex(
    { inputs, options, shard: null },
    shards.flatMap((s) => s.index.files),
    shards.flatMap((s) => s.index.skipped),
  );
}
