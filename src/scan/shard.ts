import { createHash } from 'node:crypto';

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** "K/N" with 1 ≤ K ≤ N; throws a one-line message otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && index <= count)) throw new Error(`--shard: '${text}' is not K/N with 1 ≤ K ≤ N (e.g. 1/4)`);
  return { index, count };
}

/** By a hash of the key, not by position: a shard's share does not move when files are added
 * elsewhere, and needs nothing but the key. */
export function inShard(key: string, shard: Shard): boolean {
  const h = createHash('sha256').update(key).digest().readUIntBE(0, 6);
  return h % shard.count === shard.index - 1;
}
