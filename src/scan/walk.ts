import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, normalize } from 'node:path';
import { compare } from './index-build';
import type { SkippedFile } from './index-model';

/** A file to look at, named as reached from a command-line path. */
export interface FoundFile {
  path: string;
  dir: string;
  name: string;
  sizeBytes: number;
  /** Named on the command line itself: it must be a capture (not one found in a folder). */
  explicit: boolean;
}

export interface WalkResult {
  /** In walk order: command-line order, folders in name order. */
  files: FoundFile[];
  /** Found in folders but not regular files. */
  skipped: SkippedFile[];
  /** Paths that could not be read at all (missing, no permission), as `reason`. */
  unreadable: SkippedFile[];
}

/** Every file under `paths`, once each (by real path, so links and repeats do not count twice),
 * without entering `exclude` (the output folder, when it lies inside a scanned one). */
export async function walk(paths: readonly string[], exclude: string): Promise<WalkResult> {
  const out: WalkResult = { files: [], skipped: [], unreadable: [] };
  const seen = new Set<string>();
  const visit = async (path: string, explicit: boolean): Promise<void> => {
    let info;
    let real;
    try {
      info = await stat(path);
      real = await realpath(path);
    } catch (err) {
      (explicit ? out.unreadable : out.skipped).push({ file: path, reason: fsErrorMessage(err) });
      return;
    }
    if (seen.has(real) || real === exclude) return;
    seen.add(real);
    if (info.isDirectory()) {
      let names;
      try {
        names = (await readdir(path)).sort(compare);
      } catch (err) {
        out.unreadable.push({ file: path, reason: `cannot read folder: ${fsErrorMessage(err)}` });
        return;
      }
      for (const name of names) await visit(join(path, name), false);
    } else if (info.isFile()) {
      out.files.push({ path, dir: dirname(path), name: basename(path), sizeBytes: info.size, explicit });
    } else {
      (explicit ? out.unreadable : out.skipped).push({ file: path, reason: 'not a regular file' });
    }
  };
  for (const p of paths) await visit(normalize(p), true);
  return out;
}

function fsErrorMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'symbolic link loop';
  return err instanceof Error ? err.message : String(err);
}
