/** The command line: its commands, their options, and what each runs. `npm run build` bundles it (with
 * everything it imports) into dist/bundle/program.js, which dist/cli/main.js runs (see code-cache.ts). */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DEFAULT_MAX_CONNECTIONS } from '../analyze';
import { FINDING_KINDS } from '../detect/finding';
import { DEFAULT_THRESHOLDS } from '../detect/thresholds';
import { runAnalyze, STDIN_MARKER, TWO_THREADS_FROM_BYTES } from './analyze-command';
import { detectOptions, parseFailOn, THRESHOLD_OPTIONS } from './detect-options';
import { EXIT_INTERNAL, EXIT_USAGE } from './exit-codes';
import { runExplain } from './explain-command';
import { runMerge } from './merge-command';
import { runScan, scanOptions, scanSettings } from './scan-command';

/** Thrown for wrong usage found after parsing (bad durations, unknown kinds): exit 64. */
class UsageError extends Error {}

function withDetectOptions<T>(y: Argv<T>) {
  let out = y
    .option('only', { type: 'string', describe: `only these finding kinds, comma-separated (${FINDING_KINDS.join(', ')})` })
    .option('fail-on', { type: 'string', choices: ['warning', 'critical'], describe: 'exit 1 when a finding of this severity or worse exists' });
  for (const [name, o] of Object.entries(THRESHOLD_OPTIONS)) {
    out = out.option(name, { type: 'string', describe: `${o.describe} (default ${DEFAULT_THRESHOLDS[o.field]}s; e.g. 500ms, 90s, 2m)` });
  }
  return out;
}

/** --only and the thresholds as detector options; throws a one-line message on bad input. */
function detectFromArgs(args: { only?: string } & Record<string, unknown>) {
  const thresholds: Record<string, string | undefined> = {};
  for (const name of Object.keys(THRESHOLD_OPTIONS)) thresholds[name] = args[name] as string | undefined;
  return detectOptions({ only: args.only, thresholds });
}

/** What to type when a command's files are missing, by command. */
const MISSING_FILES = new Map<string, string>([
  ['analyze', 'name the capture to analyse, e.g.: tcpteardown analyze dump.pcap'],
  ['scan', 'name the captures or folders to scan, e.g.: tcpteardown scan captures/'],
  ['merge', 'name the index.json of each shard, e.g.: tcpteardown merge a/index.json b/index.json'],
]);
/** The options that take a file to write the report to. */
const FILE_OPTIONS = ['--json', '--html', '--md'];

/** yargs's "Not enough non-option arguments" said in the command's terms. For analyze, when a report
 * option took the word after it ("analyze --json dump.pcap"), says so: that word may be the capture. */
function missingFiles(message: string, argv: string[]): string {
  const command = argv.find((a) => MISSING_FILES.has(a)) ?? '';
  const what = MISSING_FILES.get(command);
  if (!message.startsWith('Not enough non-option arguments') || what === undefined) return message;
  if (command !== 'analyze') return what;
  // From the end: a capture is most often typed last.
  for (let i = argv.length - 2; i >= 0; i--) {
    if (FILE_OPTIONS.includes(argv[i]) && !argv[i + 1].startsWith('-')) {
      return `${what} (${argv[i]} took '${argv[i + 1]}' as the file to write: if that is the capture, put it before ${argv[i]})`;
    }
  }
  return what;
}

function colorWanted(): boolean {
  return process.stdout.isTTY === true && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('tcpteardown')
    // English whatever the system's language: the messages are matched (missingFiles) and the rest is English.
    .locale('en')
    .usage('$0 <command> [options]\n\nExplains how every TCP connection in a packet capture ended, and why the bad endings happened.')
    .command(
      'analyze <capture>',
      'Rebuild and explain the TCP connections of one capture (pcap, pcapng, gzip of either; - for stdin)',
      (y) => withDetectOptions(y
        .positional('capture', { type: 'string', demandOption: true, describe: 'capture file, or - for standard input' })
        .option('json', { type: 'string', describe: 'write the JSON report to FILE (- for stdout; no value: reports/<capture>.json)' })
        .option('html', { type: 'string', describe: 'write the HTML report to FILE (- for stdout; no value: reports/<capture>.html)' })
        .option('md', { type: 'string', describe: 'write the summary and incidents as Markdown to FILE (- for stdout; no value: reports/<capture>.md)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
        .option('progress', { type: 'boolean', default: true, describe: 'show a progress bar on a terminal (--no-progress to hide it)' })
        .option('debug', { type: 'boolean', default: false, describe: 'show stack traces of internal errors' })
        .option('max-connections', { type: 'number', default: DEFAULT_MAX_CONNECTIONS, describe: 'connections tracked at most; packets of further new ones are counted, not analysed (bounds memory)' })
        .option('threads', {
          type: 'number', choices: [1, 2],
          describe: `threads: 2 replays the capture on a second thread while the first reads, decodes, detects and spools (default where 2 CPUs are usable, a container's CPU quota counted, but for capture files under ${TWO_THREADS_FROM_BYTES >> 20} MiB)`,
        })),
      async (args) => {
        let detect;
        let failOn;
        try {
          detect = detectFromArgs(args);
          failOn = parseFailOn(args['fail-on']);
          if ([args.json, args.html, args.md].filter((t) => t === '-').length > 1) throw new Error('only one of --json, --html and --md can write to standard output');
          if (!Number.isInteger(args['max-connections']) || args['max-connections'] < 1) throw new Error('--max-connections: a whole number of at least 1');
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        exitCode = await runAnalyze({
          capture: args.capture, json: args.json, html: args.html, md: args.md, quiet: args.quiet, progress: args.progress, detect, failOn, color: colorWanted(),
          maxConnections: args['max-connections'], threads: args.threads,
        });
      },
    )
    .command(
      'explain [kind]',
      'Explain a finding kind: what the wire shows, what it usually means, what to check',
      (y) => y.positional('kind', { type: 'string', describe: 'a finding kind; without one, the list' }),
      (args) => {
        exitCode = runExplain(args.kind);
      },
    )
    .command(
      'scan <paths..>',
      'Analyse every capture in files and folders on all CPUs, rotated sets as one timeline; write per-file reports and an index',
      (y) => withDetectOptions(scanOptions(y)),
      async (args) => {
        let settings;
        try {
          settings = { ...scanSettings(args), detect: detectFromArgs(args), failOn: parseFailOn(args['fail-on']) };
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        exitCode = await runScan({ ...settings, paths: args.paths, out: args.out, quiet: args.quiet, progress: args.progress, debug: args.debug });
      },
    )
    .command(
      'merge <indexes..>',
      'Combine the index.json of every shard of a scan (--shard K/N) into one, as a single-machine run would have written it',
      (y) => y
        .positional('indexes', { type: 'string', array: true, demandOption: true, describe: 'the index.json of each shard' })
        .option('out', { type: 'string', describe: 'folder for the merged index and the reports (default: reports/<date-time>/)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' }),
      async (args) => {
        exitCode = await runMerge({ indexes: args.indexes, out: args.out, quiet: args.quiet });
      },
    )
    .demandCommand(1, 'Name a command, e.g.: tcpteardown analyze dump.pcap')
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    // Thrown, not noted: yargs runs the command's handler after a fail() that returns.
    .fail((msg, err) => {
      throw err ?? new UsageError(missingFiles(msg, argv));
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`tcpteardown: ${err.message}\nRun 'tcpteardown --help' for usage.\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}

/** yargs does not keep a lone "-": "--json -" (stdout) becomes "--json=-" (so do --html and --md), and "-" as a capture
 * (standard input) a marker no file name can hold. */
function protectDashes(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (FILE_OPTIONS.includes(argv[i]) && argv[i + 1] === '-') {
      out.push(`${argv[i]}=-`);
      i++;
    } else {
      out.push(argv[i] === '-' ? STDIN_MARKER : argv[i]);
    }
  }
  return out;
}

// A reader gone (e.g. `| head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(protectDashes(hideBin(process.argv))).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const debug = process.argv.includes('--debug');
    process.stderr.write(`tcpteardown: internal error: ${err instanceof Error ? err.message : String(err)}`
      + `${debug && err instanceof Error ? `\n${err.stack}` : ' (run again with --debug for details, and please report it)'}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);
