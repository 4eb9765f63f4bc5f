#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DEFAULT_MAX_CONNECTIONS } from '../analyze';
import { FINDING_KINDS } from '../detect/finding';
import { DEFAULT_THRESHOLDS } from '../detect/thresholds';
import { runAnalyze, STDIN_MARKER } from './analyze-command';
import { detectOptions, parseFailOn, THRESHOLD_OPTIONS } from './detect-options';
import { EXIT_INTERNAL, EXIT_USAGE } from './exit-codes';
import { runExplain } from './explain-command';

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

function colorWanted(): boolean {
  return process.stdout.isTTY === true && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  let usageError: string | null = null;
  const parser = yargs(argv)
    .scriptName('tcpteardown')
    .usage('$0 <command> [options]\n\nExplains how every TCP connection in a packet capture ended, and why the bad endings happened.')
    .command(
      'analyze <capture>',
      'Rebuild and explain the TCP connections of one capture (pcap, pcapng, gzip of either; - for stdin)',
      (y) => withDetectOptions(y
        .positional('capture', { type: 'string', demandOption: true, describe: 'capture file, or - for standard input' })
        .option('json', { type: 'string', describe: 'write the JSON report to FILE (- for stdout; no value: reports/<capture>.json)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
        .option('progress', { type: 'boolean', default: true, describe: 'show a progress bar on a terminal (--no-progress to hide it)' })
        .option('debug', { type: 'boolean', default: false, describe: 'show stack traces of internal errors' })
        .option('max-connections', { type: 'number', default: DEFAULT_MAX_CONNECTIONS, describe: 'connections tracked at most; packets of further new ones are counted, not analysed (bounds memory)' })),
      async (args) => {
        let detect;
        let failOn;
        try {
          const thresholds: Record<string, string | undefined> = {};
          for (const name of Object.keys(THRESHOLD_OPTIONS)) thresholds[name] = args[name] as string | undefined;
          detect = detectOptions({ only: args.only, thresholds });
          failOn = parseFailOn(args['fail-on']);
          if (!Number.isInteger(args['max-connections']) || args['max-connections'] < 1) throw new Error('--max-connections: a whole number of at least 1');
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        exitCode = await runAnalyze({
          capture: args.capture, json: args.json, quiet: args.quiet, progress: args.progress, detect, failOn, color: colorWanted(),
          maxConnections: args['max-connections'],
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
    .demandCommand(1, 'Name a command, e.g.: tcpteardown analyze dump.pcap')
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      usageError = msg;
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    usageError = err.message;
  }
  if (usageError !== null) {
    process.stderr.write(`tcpteardown: ${usageError}\nRun 'tcpteardown --help' for usage.\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}

/** yargs does not keep a lone "-": "--json -" (stdout) becomes "--json=-", and "-" as a capture
 * (standard input) a marker no file name can hold. */
function protectDashes(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json' && argv[i + 1] === '-') {
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
