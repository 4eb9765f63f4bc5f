import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { SpoolError } from '../report/connection-spool';

/** An output file could not be written: the user's path or disk, not a bug; one line, exit 73. */
export class OutputError extends Error {
  constructor(readonly target: string, reason: string) {
    super(`cannot write: ${reason}`);
    this.name = 'OutputError';
  }
}

/** Creates `target` (and its folder) and lets `write` fill it; any failure of its own becomes an OutputError. */
export async function writeOutputFile(target: string, write: (out: Writable) => Promise<void>): Promise<void> {
  try {
    mkdirSync(dirname(target), { recursive: true });
    await write(createWriteStream(target));
  } catch (err) {
    // Reading the connections back failed, not writing this file.
    if (err instanceof SpoolError) throw err;
    throw new OutputError(target, describeFsError(err));
  }
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a file stands where a folder is needed';
  if (code === 'ENOSPC') return 'no space left on the device';
  return err instanceof Error ? err.message : String(err);
}
