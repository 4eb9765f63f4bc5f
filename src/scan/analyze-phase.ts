import type { DetectOptions } from '../detect/run-detectors';
import type { InspectedCapture } from './capture-sets';
import type { SetMember } from './concat-stream';
import { errorEntry, type UnitOfAnalysis } from './index-entry';
import type { IndexFile } from './index-model';
import { workerFailure, type WorkerPool } from './pool';
import { ProgressTracker, type PhaseEvents, type ScanProgress } from './progress-tracker';
import { unitReportPaths } from './unit-reports';

export interface AnalyzeSettings {
  out: string;
  detect: DetectOptions;
}

/** Phase 2: analyses every run (largest first, so a big file does not start last) and writes its report. */
export async function analyzePhase(
  pool: WorkerPool,
  runs: readonly InspectedCapture[][],
  settings: AnalyzeSettings,
  events: PhaseEvents & { finished(entry: IndexFile, p: ScanProgress): void },
): Promise<IndexFile[]> {
  const units = runs.map((run) => ({ run, unit: unitOf(run) })).sort((a, b) => b.unit.sizeBytes - a.unit.sizeBytes);
  const totalBytes = units.reduce((sum, u) => sum + u.unit.sizeBytes, 0);
  const tracker = new ProgressTracker('analyze', units.length, totalBytes, events);
  return Promise.all(units.map(async ({ run, unit }) => {
    const progress = tracker.task(unit.sizeBytes);
    const merged = run.length > 1 ? run.map(member) : null;
    const task = { kind: 'analyze', unit, merged, detect: settings.detect, out: settings.out, reports: unitReportPaths(unit.file) } as const;
    const entry = await pool.run(task, progress.update).catch((err: unknown) => {
      const message = workerFailure(err);
      events.internalError(unit.file, err);
      return errorEntry(unit, message);
    });
    progress.done(entry.packets);
    events.finished(entry, tracker.snapshot());
    return entry;
  }));
}

function unitOf(run: readonly InspectedCapture[]): UnitOfAnalysis {
  const sizeBytes = run.reduce((sum, c) => sum + c.file.sizeBytes, 0);
  const file = run[0].file.path;
  return run.length > 1 ? { file, members: run.map((c) => c.file.path), sizeBytes } : { file, sizeBytes };
}

function member(c: InspectedCapture): SetMember {
  // Runs of more than one file are made of probed files only (capture-sets.ts).
  const probe = c.probe;
  if (!probe) throw new Error(`${c.file.path}: merged without a probe`);
  return { path: c.file.path, gzip: c.gzip, format: probe.format, bytes: probe.bytes };
}
