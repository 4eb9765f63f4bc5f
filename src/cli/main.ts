#!/usr/bin/env node
/** The `tcpteardown` command: the program bundled by `npm run build`, run with V8's code cache of it
 * (see code-cache.ts). */
import { join } from 'node:path';
import { runBundle } from './code-cache';

runBundle(join(__dirname, '..', 'bundle', 'program.js'));
