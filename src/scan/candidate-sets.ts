import type { MergeMode } from './index-model';
import { rotationShape } from './rotation-name';
import type { FoundFile } from './walk';

/** Files that may form one capture, decided from names alone (no I/O), so that every shard of a
 * run draws the same sets and picks its share before reading anything. */
export interface Candidate {
  key: string;
  files: FoundFile[];
}

/** none: every file alone; auto: files of one folder with the same rotation shape; all: every file of a folder. */
export function candidateSets(files: readonly FoundFile[], mode: MergeMode): Candidate[] {
  const sets = new Map<string, FoundFile[]>();
  for (const f of files) {
    const key = mode === 'none' ? f.path : mode === 'all' ? `${f.dir}/` : `${f.dir}/${rotationShape(f.name)}`;
    const list = sets.get(key);
    if (list) list.push(f);
    else sets.set(key, [f]);
  }
  return [...sets].map(([key, list]) => ({ key, files: list }));
}
