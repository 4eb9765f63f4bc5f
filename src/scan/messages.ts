import type { DetectOptions } from '../detect/run-detectors';
import type { SetMember } from './concat-stream';
import type { UnitOfAnalysis } from './index-entry';
import type { IndexFile, ReportPaths } from './index-model';
import type { Inspection } from './inspect';

/** What the scan asks a worker thread to do; everything in here survives structured cloning. */
export interface InspectTask {
  kind: 'inspect';
  path: string;
  /** Read it whole for the rotated-set decision. */
  probe: boolean;
}

export interface AnalyzeTask {
  kind: 'analyze';
  /** unit.file is read alone unless `merged` lists a set's files in timeline order. */
  unit: UnitOfAnalysis;
  merged: SetMember[] | null;
  detect: DetectOptions;
  /** The output folder, and the reports' paths in it. */
  out: string;
  reports: ReportPaths;
}

export type Task = InspectTask | AnalyzeTask;

export interface TaskResults {
  inspect: Inspection;
  analyze: IndexFile;
}

export type TaskKind = Task['kind'];

export interface ToWorker {
  id: number;
  task: Task;
}

export type FromWorker =
  | { id: number; type: 'progress'; bytes: number; packets: number }
  | { id: number; type: 'done'; result: TaskResults[TaskKind] }
  | { id: number; type: 'failed'; message: string };
