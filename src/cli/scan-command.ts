import { mkdirSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { Severity } from '../detect/finding';
import type { DetectOptions } from '../detect/run-detectors';
import type { MergeMode } from '../scan/index-model';
import { defaultOutDir } from '../scan/out-dir';
import { scan } from '../scan/scan';
import { parseShard, type Shard } from '../scan/shard';
import { STDIN_MARKER } from './analyze-command';
import { EXIT_USAGE } from './exit-codes';
import { scanDisplay } from './scan-progress';
import { batchExitCode, printSummary } from './scan-summary';
import { usableCpus } from './usable-cpus';

export interface ScanArgs {
  paths: string[];
  out?: string;
  jobs: number;
  merge: MergeMode;
  shard: Shard | null;
  detect: DetectOptions;
  failOn: Severity | null;
  quiet: boolean;
  progress: boolean;
  debug: boolean;
}

/** The options of `scan`, beside the detector options every analysing command has. */
export function scanOptions<T>(y: Argv<T>) {
  return y
    .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'capture files and folders (searched recursively; captures are recognised by their first bytes)' })
    .option('out', { type: 'string', describe: 'folder for the reports and index.html/index.json (default: reports/<date-time>/)' })
    .option('jobs', { type: 'number', default: usableCpus(), describe: 'captures analysed at once, one worker thread each (default: the number of usable CPUs, a container\'s CPU quota counted)' })
    .option('merge', { type: 'string', choices: ['auto', 'none', 'all'], default: 'auto', describe: 'rotated capture sets analysed as one timeline: auto (by rotation names), none, all (any files of a folder)' })
    .option('shard', { type: 'string', describe: 'analyse only share K of N of the capture sets (K/N, 1-based), for running on many machines; combine with tcpteardown merge' })
    .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
    .option('progress', { type: 'boolean', default: true, describe: 'show a progress bar on a terminal (--no-progress for plain lines)' })
    .option('debug', { type: 'boolean', default: false, describe: 'show stack traces of internal errors' });
}

/** Checks what yargs cannot; throws a one-line message. */
export function scanSettings(raw: { paths: string[]; jobs: number; merge: string; shard?: string }): Pick<ScanArgs, 'jobs' | 'merge' | 'shard'> {
  if (raw.paths.includes(STDIN_MARKER)) throw new Error('scan reads files and folders, not standard input (use: tcpteardown analyze -)');
  if (!Number.isInteger(raw.jobs) || raw.jobs < 1) throw new Error('--jobs: a whole number of at least 1');
  return { jobs: raw.jobs, merge: raw.merge as MergeMode, shard: raw.shard === undefined ? null : parseShard(raw.shard) };
}

export async function runScan(args: ScanArgs): Promise<number> {
  const out = args.out ?? defaultOutDir();
  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    process.stderr.write(`tcpteardown: --out ${out}: cannot create the folder: ${(err as Error).message}\n`);
    return EXIT_USAGE;
  }
  const display = scanDisplay({ quiet: args.quiet, bar: args.progress && process.stderr.isTTY === true, debug: args.debug });
  let index;
  try {
    index = await scan({
      inputs: args.paths, out, jobs: args.jobs, cpus: usableCpus(), merge: args.merge, shard: args.shard, detect: args.detect, failOn: args.failOn,
    }, display.events);
  } finally {
    display.stop();
  }
  printSummary(index, out, args.quiet);
  return batchExitCode(index);
}
