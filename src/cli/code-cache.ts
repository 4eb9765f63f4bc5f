/** Running the bundled program with V8's code cache of it. On a small capture, starting up is the whole
 * run: Node loading some 200 modules one by one, then V8 compiling each function the first time it runs.
 * The program bundled into one file by esbuild (`npm run build`) loads in one read; the code cache, the
 * bytecode of every function a run over a shipped capture compiled, spares V8 compiling them again.
 * Measured on captures/keepalive-starvation.pcap (10 alternated pairs): 0.39 s as separate modules,
 * 0.24 s bundled with the cache, where Node alone starts in 0.12 s.
 *
 * V8 takes a cache made by the same V8 version with the same flags for a source of the same length, and
 * checks no more: a source changed to one of the same length ran the old bytecode, and a cache damaged
 * past its header crashed Node (both tried). So the file starts with a SHA-256 of what V8 is given and
 * of who gives it (Node's version, its platform and architecture, the source, the cache), and a file
 * that does not match is not used: about 2 ms. The cache is made by the build and only read here: an
 * installed tool does not write into its own folder. */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** The bundle runs as a CommonJS module of its own, in the wrapper Node gives one. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_TAIL = '\n});';
const HASH_BYTES = 32;

type ModuleFunction = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string) => void;

/** A bundle compiled, with the bytes it was compiled from. */
export interface CompiledBundle {
  script: Script;
  source: Buffer;
}

/** Where a bundle's code cache is kept: beside it. */
export function codeCacheOf(bundle: string): string {
  return `${bundle}.v8-cache`;
}

/** The bundle compiled, with its code cache when there is one made for these bytes by this Node. */
export function compileBundle(bundle: string, useCache = true): CompiledBundle {
  const source = readFileSync(bundle);
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      const file = readFileSync(codeCacheOf(bundle));
      const data = file.subarray(HASH_BYTES);
      if (file.length > HASH_BYTES && file.subarray(0, HASH_BYTES).equals(hashOf(source, data))) cachedData = data;
    } catch {
      // None, or not readable: the bundle is compiled from its source, only more slowly.
    }
  }
  const script = new Script(WRAPPER_HEAD + source.toString('utf8') + WRAPPER_TAIL, { filename: bundle, cachedData });
  return { script, source };
}

function hashOf(source: Buffer, data: Buffer): Buffer {
  return createHash('sha256')
    .update(`${process.version} ${process.platform} ${process.arch}\n${WRAPPER_HEAD}`).update(source).update(WRAPPER_TAIL)
    .update(data).digest();
}

/** Runs a compiled bundle as a module whose file is `bundle` (its __dirname finds the worker threads' bundles). */
export function runBundle(bundle: string, compiled: CompiledBundle = compileBundle(bundle)): void {
  const run = compiled.script.runInThisContext() as ModuleFunction;
  const module = { exports: {} };
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

/** Runs the bundle compiled from its source with `argv` as the command line, and when the process exits
 * writes the code cache of every function the run compiled (under another name, then renamed, so that a
 * run of the command never reads half a file). */
export function writeCodeCache(bundle: string, argv: string[]): void {
  const compiled = compileBundle(bundle, false);
  process.on('exit', () => {
    const data = compiled.script.createCachedData();
    const temporary = `${codeCacheOf(bundle)}.${process.pid}`;
    writeFileSync(temporary, Buffer.concat([hashOf(compiled.source, data), data]));
    renameSync(temporary, codeCacheOf(bundle));
  });
  process.argv = [process.argv[0], bundle, ...argv];
  runBundle(bundle, compiled);
}
