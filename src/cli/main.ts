#!/usr/bin/env node
/** The `tcpteardown` command: the program bundled by `npm run build`, run with V8's code cache of it
 * (see code-cache.ts). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runBundle } from './code-cache';
import { EXIT_INTERNAL } from './exit-codes';

const bundle = join(__dirname, '..', 'bundle', 'program.js');
if (existsSync(bundle)) {
  runBundle(bundle);
} else {
  // A checkout compiled by tsc alone: say what to run instead of a stack trace.
  process.stderr.write(`tcpteardown: ${bundle}: missing; build the tool with npm run build\n`);
  process.exitCode = EXIT_INTERNAL;
}
