import { createHash } from 'node:crypto';

/** Per-file reports go to this folder under --out. */
export const REPORTS_FOLDER = 'files';

/** Characters of the input path kept in a report name, from its end (where the file name is). */
const READABLE_CHARS = 80;

/**
 * `files/<readable part>-<hash>.<ext>` for the capture at `path` (as named on the command line).
 * The readable part has only [A-Za-z0-9._-] and never starts with a dot, so the name cannot leave
 * its folder; the hash of the whole path keeps names apart that read alike (a/b vs a_b, A vs a on
 * case-insensitive disks) and depends on nothing else, so every shard of a run picks the same name.
 */
export function reportPath(path: string, ext: string): string {
  const readable = path.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-READABLE_CHARS).replace(/^[._-]+/, '');
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 12);
  return `${REPORTS_FOLDER}/${readable || 'capture'}-${hash}.${ext}`;
}

/** A report path as reportPath makes them: what a merge accepts from an index before copying. */
export function isReportPath(path: string): boolean {
  return new RegExp(`^${REPORTS_FOLDER}/[A-Za-z0-9_-][A-Za-z0-9._-]*$`).test(path);
}
