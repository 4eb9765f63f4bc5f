import type { Candidate } from './candidate-sets';
import { continuousRuns, type InspectedCapture } from './capture-sets';
import { errorEntry } from './index-entry';
import type { IndexFile, SkippedFile } from './index-model';
import type { Inspection } from './inspect';
import { workerFailure, type WorkerPool } from './pool';
import { ProgressTracker, type PhaseEvents } from './progress-tracker';

export interface Inspected {
  /** Each run is analysed as one unit: one file, or a rotated set in timeline order. */
  runs: InspectedCapture[][];
  skipped: SkippedFile[];
  errors: IndexFile[];
}

/** Phase 1: sniffs every file; reads whole the files of candidate sets with more than one file,
 * then splits those sets into continuous runs. */
export async function inspectPhase(pool: WorkerPool, candidates: readonly Candidate[], events: PhaseEvents): Promise<Inspected> {
  const files = candidates.flatMap((c) => c.files);
  const probed = (c: Candidate): boolean => c.files.length > 1;
  const probeBytes = candidates.filter(probed).flatMap((c) => c.files).reduce((sum, f) => sum + f.sizeBytes, 0);
  const tracker = new ProgressTracker('inspect', files.length, probeBytes, events);
  const out: Inspected = { runs: [], skipped: [], errors: [] };
  await Promise.all(candidates.map(async (c) => {
    const probe = probed(c);
    const captures: InspectedCapture[] = [];
    await Promise.all(c.files.map(async (file) => {
      const progress = tracker.task(probe ? file.sizeBytes : 0);
      const found = await pool.run({ kind: 'inspect', path: file.path, probe }, progress.update)
        .catch((err: unknown): Inspection => {
          const message = workerFailure(err);
          events.internalError(file.path, err);
          return { kind: 'unreadable', message };
        });
      progress.done();
      if (found.kind === 'capture') captures.push({ file, gzip: found.gzip, probe: found.probe });
      else if (found.kind === 'unreadable') out.errors.push(errorEntry({ file: file.path, sizeBytes: file.sizeBytes }, found.message));
      else if (file.explicit) out.errors.push(errorEntry({ file: file.path, sizeBytes: file.sizeBytes }, found.reason));
      else out.skipped.push({ file: file.path, reason: found.reason });
    }));
    out.runs.push(...continuousRuns(captures));
  }));
  return out;
}
