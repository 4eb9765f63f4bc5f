import { defaultOutDir } from '../scan/out-dir';
import { MergeError } from '../scan/merge-indexes';
import { mergeRuns } from '../scan/merge-runs';
import { EXIT_USAGE } from './exit-codes';
import { batchExitCode, printSummary } from './scan-summary';

export interface MergeArgs {
  indexes: string[];
  out?: string;
  quiet: boolean;
}

/** `tcpteardown merge reports/*\/index.json`: the shards of one scan as one index, with the exit
 * code the whole scan would have had. Indexes that do not make one run exit 64. */
export async function runMerge(args: MergeArgs): Promise<number> {
  const out = args.out ?? defaultOutDir();
  let index;
  try {
    index = await mergeRuns(args.indexes, out);
  } catch (err) {
    if (!(err instanceof MergeError)) throw err;
    process.stderr.write(`tcpteardown: merge: ${err.message}\n`);
    return EXIT_USAGE;
  }
  printSummary(index, out, args.quiet);
  return batchExitCode(index);
}
