import { mkdirSync, realpathSync } from 'node:fs';
import { setCompilerFlags } from '../compiler-flags';
import type { Severity } from '../detect/finding';
import type { DetectOptions } from '../detect/run-detectors';
import { analyzePhase } from './analyze-phase';
import { candidateSets } from './candidate-sets';
import { errorEntry } from './index-entry';
import { buildIndex } from './index-build';
import type { IndexFile, MergeMode, ScanIndex } from './index-model';
import { writeIndex } from './index-writer';
import { inspectPhase } from './inspect-phase';
import { WorkerPool } from './pool';
import type { PhaseEvents, ScanProgress } from './progress-tracker';
import { inShard, type Shard } from './shard';
import { walk } from './walk';
import { thresholdsJson } from '../report/build-report';

export interface ScanRequest {
  /** Files and folders, as named on the command line. */
  inputs: string[];
  /** Created if missing; receives index.json, index.html and files/. */
  out: string;
  jobs: number;
  /** CPUs this process may keep busy (see usable-cpus.ts): V8 compiles in the background only if one is left. */
  cpus: number;
  merge: MergeMode;
  shard: Shard | null;
  detect: DetectOptions;
  failOn: Severity | null;
}

export interface ScanEvents extends PhaseEvents {
  finished(entry: IndexFile, p: ScanProgress): void;
}

/** Walks the inputs, takes this shard's share of the capture sets, analyses them on `jobs` worker
 * threads, writes the reports and the index. An unreadable input becomes an error entry; only a
 * failure to write the output rejects. */
export async function scan(req: ScanRequest, events: ScanEvents): Promise<ScanIndex> {
  mkdirSync(req.out, { recursive: true });
  const walked = await walk(req.inputs, realpathSync(req.out));
  const mine = (key: string): boolean => req.shard === null || inShard(key, req.shard);
  const candidates = candidateSets(walked.files, req.merge).filter((c) => mine(c.key));
  // Before the first worker starts: its isolate takes the flags it starts with. They are the process's
  // from then on (V8 has no way back), which suits the command, the one caller.
  const atOnce = Math.min(req.jobs, candidates.length);
  setCompilerFlags(atOnce, req.cpus > atOnce);
  const pool = new WorkerPool(req.jobs);
  try {
    const inspected = await inspectPhase(pool, candidates, events);
    const analysed = await analyzePhase(pool, inspected.runs, { out: req.out, detect: req.detect }, events);
    const unreadable = walked.unreadable.filter((u) => mine(u.file)).map((u) => errorEntry({ file: u.file, sizeBytes: 0 }, u.reason));
    const index = buildIndex(
      {
        inputs: req.inputs,
        options: { merge: req.merge, only: req.detect.only ? [...req.detect.only] : null, fail_on: req.failOn, thresholds: thresholdsJson(req.detect.thresholds) },
        shard: req.shard,
      },
      [...unreadable, ...inspected.errors, ...analysed],
      [...walked.skipped.filter((s) => mine(s.file)), ...inspected.skipped],
    );
    await writeIndex(req.out, index);
    return index;
  } finally {
    await pool.close();
  }
}
