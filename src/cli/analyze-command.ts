import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CaptureError } from '../capture/record';
import { sniff } from '../capture/sniff';
import { FULL_INLINING_FROM_BYTES, setCompilerFlags } from '../compiler-flags';
import { SEVERITY_RANK, type Severity } from '../detect/finding';
import { fmtCount } from '../format';
import type { DetectOptions } from '../detect/run-detectors';
import { reportCapture } from '../pipeline';
import { SpoolError } from '../report/connection-spool';
import { writeJsonReport } from '../report/json-writer';
import type { Report } from '../report/report-model';
import { terminalReport } from '../report/terminal-report';
import { EXIT_FINDINGS, EXIT_OK, EXIT_OUTPUT, EXIT_UNREADABLE } from './exit-codes';
import { describeFsError, OutputError, writeOutputFile } from './output-file';
import { startProgress } from './progress';
import { usableCpus } from './usable-cpus';
import { writeDocuments } from './write-documents';

export interface AnalyzeArgs {
  capture: string;
  json?: string;
  /** --html and --md: a path, '-' for standard output, '' for the default path under reports/. */
  html?: string;
  md?: string;
  quiet: boolean;
  progress: boolean;
  detect: DetectOptions;
  failOn: Severity | null;
  maxConnections: number;
  /** 2: the capture is replayed on a thread of its own while this one reads, decodes and detects; none:
   * see defaultThreads. */
  threads?: number;
  color: boolean;
}

/** A capture file smaller than this is analysed on one thread unless --threads says otherwise: the
 * replay thread takes about 0.1 s to start (a worker, which loads and compiles the modules anew), more
 * than it saves on a small capture. Measured on this 2-CPU machine, one thread against two, 3 alternated
 * runs each: the 7 KB incident capture 0.28-0.31 against 0.39-0.44 s; cuts of bench (a) of 0.75 MB
 * 0.57-0.76 against 0.63-0.68 s, 1.6 MB 0.70-0.71 against 0.70-0.78 s, 3.2 MB 0.85-0.89 against
 * 0.75-0.83 s, 31 MB 1.58-1.77 against 1.44-1.55 s. */
export const TWO_THREADS_FROM_BYTES = 2 << 20;

/** Threads for a capture of `sizeBytes` (null: not known, as for standard input or a gzip file, which
 * holds some ten times its size) with `cpus` CPUs usable: two where two are usable, but for a small file. */
export function defaultThreads(sizeBytes: number | null, cpus: number): number {
  return cpus >= 2 && (sizeBytes === null || sizeBytes >= TWO_THREADS_FROM_BYTES) ? 2 : 1;
}

/** Whether a capture of `sizeBytes` (null: not known, see defaultThreads) is analysed with V8's whole
 * inlining budget (see compiler-flags.ts). */
export function largeCapture(sizeBytes: number | null): boolean {
  return sizeBytes === null || sizeBytes >= FULL_INLINING_FROM_BYTES;
}

/** How many bytes of capture file `name` (of `size` bytes) holds, as far as its first bytes tell: null
 * for gzip, its size otherwise. */
export function captureBytes(name: string, size: number): number | null {
  const head = Buffer.alloc(2);
  const fd = openSync(name, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return sniff(head).kind === 'gzip' ? null : size;
}

/** How the command line hands over "-" (standard input); see protectDashes in main.ts. */
export const STDIN_MARKER = '\u0000stdin';

export async function runAnalyze(args: AnalyzeArgs): Promise<number> {
  const fromStdin = args.capture === STDIN_MARKER || args.capture === '-';
  const name = fromStdin ? '-' : args.capture;
  let size = 0;
  /** The bytes of capture it holds, where that is known (see defaultThreads). */
  let holds: number | null = null;
  if (!fromStdin) {
    try {
      const st = statSync(name);
      if (st.isDirectory()) return fail(name, 'is a folder (to analyse every capture in it, use: tcpteardown scan)');
      size = st.size;
      // Only a regular file is read ahead: the bytes of a named pipe would be gone for the reader.
      if (st.isFile()) holds = captureBytes(name, size);
    } catch (err) {
      return fail(name, describeFsError(err));
    }
  }
  const threads = args.threads ?? defaultThreads(holds, usableCpus());
  // Compiling stays in the background: this thread started with it (see compiler-flags.ts).
  setCompilerFlags(threads, true, largeCapture(holds));
  const progress = startProgress(basename(name), fromStdin ? null : size, args.progress && !args.quiet);
  let report;
  try {
    report = await reportCapture(fromStdin ? process.stdin : name, {
      file: name, sizeBytes: size, detect: args.detect, maxConnections: args.maxConnections, replayThread: threads > 1,
      writesJson: args.json !== undefined,
      onProgress: (b, p) => progress.update(b, p),
      onReading: ({ connections }) => progress.next(`detecting and reporting on ${fmtCount(connections)} connections`),
    });
  } catch (err) {
    if (err instanceof CaptureError) return fail(name, `${err.message}${err.offset > 0 ? ` (byte offset ${err.offset})` : ''}`);
    if (err instanceof SpoolError) return spoolFailed(err);
    throw err;
  } finally {
    progress.stop();
  }
  for (const issue of report.input.issues) {
    process.stderr.write(`tcpteardown: ${name}: warning: ${issue.message} at byte offset ${issue.offset}; analysed up to there\n`);
  }
  try {
    await writeOutputs(report, args, name, fromStdin);
  } catch (err) {
    if (err instanceof SpoolError) return spoolFailed(err);
    if (!(err instanceof OutputError)) throw err;
    process.stderr.write(`tcpteardown: ${err.target}: ${err.message}\n`);
    return EXIT_OUTPUT;
  } finally {
    report.connections.close();
  }
  const failOn = args.failOn;
  if (failOn === null) return EXIT_OK;
  for (let i = 0; i < report.findings.length; i++) if (SEVERITY_RANK[report.findings.severityOf(i)] >= SEVERITY_RANK[failOn]) return EXIT_FINDINGS;
  return EXIT_OK;
}

/** The temporary file of connections could not be written or read back: one line naming its folder. */
function spoolFailed(err: SpoolError): number {
  process.stderr.write(`tcpteardown: ${err.folder}: ${err.message}\n`);
  return EXIT_OUTPUT;
}

/** The documents asked for, then the first screen (unless a document goes to standard output). */
async function writeOutputs(report: Report, args: AnalyzeArgs, name: string, fromStdin: boolean): Promise<void> {
  const jsonToStdout = args.json === '-';
  if (args.json !== undefined) {
    const target = args.json === '' ? defaultReportPath(name, 'json') : args.json;
    if (jsonToStdout) {
      await writeJsonReport(report, process.stdout);
    } else {
      await writeOutputFile(target, (out) => writeJsonReport(report, out));
      if (!args.quiet) process.stderr.write(`JSON report: ${target}\n`);
    }
  }
  const documentPath = (target: string | undefined, ext: string): string | undefined => (target === '' ? defaultReportPath(name, ext) : target);
  await writeDocuments(report, {
    html: documentPath(args.html, 'html'), md: documentPath(args.md, 'md'), captureFile: fromStdin ? null : name, quiet: args.quiet,
  });
  if (!args.quiet && !jsonToStdout && args.html !== '-' && args.md !== '-') {
    const width = Math.min(Math.max(process.stdout.columns || 100, 60), 120);
    process.stdout.write(`${terminalReport(report, { color: args.color, width }).join('\n')}\n`);
  }
}

/** reports/<capture name>.<ext>; the name is reduced to its last component so it cannot leave reports/. */
export function defaultReportPath(capture: string, ext: string): string {
  const base = capture === '-' ? 'stdin' : basename(capture).replace(/[^A-Za-z0-9._-]/g, '_');
  return join('reports', `${base}.${ext}`);
}

function fail(name: string, message: string): number {
  process.stderr.write(`tcpteardown: ${name}: ${message}\n`);
  return EXIT_UNREADABLE;
}
