import type { FindingKind, Severity } from '../detect/finding';
import type { ThresholdsJson } from '../report/report-model';

/** The versioned contract of a scan's index.json (README "Batch scanning" documents it). */
export const INDEX_SCHEMA = 'tcpteardown.scan-index/1';

export type MergeMode = 'auto' | 'none' | 'all';

/** ok: read whole; warning: damaged, analysed up to the damage; error: not analysed at all. */
export type FileStatus = 'ok' | 'warning' | 'error';

export interface FindingCounts {
  total: number;
  by_severity: Record<Severity, number>;
  /** Only kinds that occur, in FINDING_KINDS order. */
  by_kind: Partial<Record<FindingKind, number>>;
}

export interface WorstIncident {
  kind: FindingKind;
  severity: Severity;
  listener: string | null;
  findings: number;
  connections: number;
  summary: string;
}

/** One unit of analysis: a capture file, or a rotated set of them analysed as one timeline. */
export interface IndexFile {
  /** The capture (of a merged set: its first file). */
  file: string;
  /** A merged set's files in timeline order (absent for a single file). */
  members?: string[];
  status: FileStatus;
  error?: string;
  warnings?: string[];
  size_bytes: number;
  packets: number;
  connections: number;
  first_ts: number | null;
  last_ts: number | null;
  findings: FindingCounts;
  /** Findings per listener (server endpoint), sorted by listener. */
  listeners: { listener: string; findings: FindingCounts }[];
  /** The first incidents of the report, worst first. */
  worst: WorstIncident[];
  /** The per-file reports, relative to the index (null when nothing could be analysed). */
  reports: ReportPaths | null;
}

export interface ReportPaths {
  html: string;
  json: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface Totals {
  /** Entries of `files` (a merged set counts once). */
  files: number;
  /** Capture files read, merged members counted one by one. */
  captures: number;
  by_status: Record<FileStatus, number>;
  skipped: number;
  size_bytes: number;
  packets: number;
  connections: number;
  findings: FindingCounts;
  /** Kinds that occur, in FINDING_KINDS order: findings, and entries having at least one. */
  by_kind: { kind: FindingKind; findings: number; files: number }[];
  /** Most findings first. */
  by_listener: { listener: string; files: number; findings: FindingCounts }[];
}

export interface ScanOptionsJson {
  merge: MergeMode;
  only: FindingKind[] | null;
  fail_on: Severity | null;
  thresholds: ThresholdsJson;
}

export interface ScanIndex {
  schema: typeof INDEX_SCHEMA;
  tool: { name: 'tcpteardown'; version: string };
  /** The paths named on the command line. */
  inputs: string[];
  options: ScanOptionsJson;
  /** 1-based; null for a whole run or a merge of all shards. */
  shard: { index: number; count: number } | null;
  /** Sorted by file. */
  files: IndexFile[];
  /** Files found in folders that are not captures, sorted by file. */
  skipped: SkippedFile[];
  totals: Totals;
}
