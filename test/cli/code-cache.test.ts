/** The command runs the program bundled by `npm run build`, with the code cache the build made: the
 * cache fits this Node, the bundle needs nothing but Node's own modules, and a cache that does not fit
 * costs only its speed. Each check runs in a Node of its own, started without flags, as the command is
 * (V8 takes a cache only under the flags it was made with). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { codeCacheOf } from '../../src/cli/code-cache';
import { EXIT_INTERNAL } from '../../src/cli/exit-codes';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const BUNDLES = join(DIST, 'bundle');
const CODE_CACHE = join(DIST, 'cli', 'code-cache.js');

/** Runs `script` in a fresh Node (with `flags`, and no NODE_OPTIONS, as the build makes the cache) with
 * code-cache.js as `c`; what it prints. */
function node(script: string, flags: string[] = []): string {
  const { NODE_OPTIONS: _, ...env } = process.env;
  const r = spawnSync(process.execPath, [...flags, '-e', `const c = require(${JSON.stringify(CODE_CACHE)});\n${script}`], { encoding: 'utf8', env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'code-cache-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('the bundled program', () => {
  it('is what the command runs, loading no compiled module of ours but the launcher', () => {
    const preload = join(dir, 'loaded.js');
    writeFileSync(preload, `process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));`);
    const r = spawnSync(process.execPath, ['-r', preload, join(DIST, 'cli', 'main.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((JSON.parse(r.stderr) as string[]).filter((f) => f.startsWith(ROOT)).sort())
      .toEqual([join(DIST, 'cli', 'code-cache.js'), join(DIST, 'cli', 'exit-codes.js'), join(DIST, 'cli', 'main.js')]);
  });

  it('missing (a checkout compiled by tsc alone) is said in one line, with what to run', () => {
    const cli = join(dir, 'built', 'cli');
    mkdirSync(cli, { recursive: true });
    for (const name of ['main.js', 'code-cache.js', 'exit-codes.js']) copyFileSync(join(DIST, 'cli', name), join(cli, name));
    const r = spawnSync(process.execPath, [join(cli, 'main.js'), '--version'], { encoding: 'utf8' });
    expect(r.stderr).toBe(`tcpteardown: ${join(dir, 'built', 'bundle', 'program.js')}: missing; build the tool with npm run build\n`);
    expect(r.status).toBe(EXIT_INTERNAL);
    expect(r.stdout).toBe('');
  });

  it('has a code cache this Node takes', () => {
    const bundle = join(BUNDLES, 'program.js');
    expect(node(`process.stdout.write(String(c.compileBundle(${JSON.stringify(bundle)}).script.cachedDataRejected === false));`)).toBe('true');
  });

  it('and its worker threads need none of the compiled modules, nor node_modules: Node only', () => {
    for (const name of ['program.js', 'replay-worker.js', 'worker.js']) {
      const text = readFileSync(join(BUNDLES, name), 'utf8');
      const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(required.length).toBeGreaterThan(0);
      expect(required.filter((id) => !builtinModules.includes(id.replace(/^node:/, '')))).toEqual([]);
    }
  });
});

describe('a code cache', () => {
  const bundleText = 'process.stdout.write(JSON.stringify([require("node:path").basename(__filename), require("node:path").basename(__dirname), process.argv.slice(2), typeof module.exports]));';
  /** Compiles and runs `bundle` in a fresh Node (with `flags`, after `before`): what it prints, then
   * whether V8 took a cache. */
  const runs = (bundle: string, flags: string[] = [], before = ''): string => node(
    `${before}const b = c.compileBundle(${JSON.stringify(bundle)}); c.runBundle(${JSON.stringify(bundle)}, b); process.stdout.write(' cache ' + (b.script.cachedDataRejected === false));`, flags);
  const written = (bundle: string, argv: string[] = [], flags: string[] = []): string => node(`c.writeCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(argv)});`, flags);

  it('is written by a run and taken by the next', () => {
    const bundle = join(dir, 'written.js');
    writeFileSync(bundle, bundleText);
    expect(JSON.parse(written(bundle, ['analyze', 'x.pcap']))).toEqual(['written.js', basename(dir), ['analyze', 'x.pcap'], 'object']);
    expect(existsSync(codeCacheOf(bundle))).toBe(true);
    expect(runs(bundle)).toBe(`["written.js","${basename(dir)}",[],"object"] cache true`);
  });

  it('holds the functions the run compiled, whenever they ran', () => {
    const bundle = join(dir, 'lazy.js');
    const body = Array.from({ length: 200 }, (_, i) => `x = (x * ${i + 3} + ${i}) % 1000003;`).join(' ');
    writeFileSync(bundle, `function late(x) { ${body} return x; } if (process.argv[2] === 'call') setTimeout(() => late(1), 1);`);
    written(bundle);
    const without = readFileSync(codeCacheOf(bundle)).length;
    written(bundle, ['call']);
    expect(readFileSync(codeCacheOf(bundle)).length).toBeGreaterThan(without + 1000);
  });

  it('made for other bytes is not used, even where V8 would take it (a source of the same length)', () => {
    const bundle = join(dir, 'changed.js');
    writeFileSync(bundle, 'process.stdout.write("before");');
    expect(written(bundle)).toBe('before');
    writeFileSync(bundle, 'process.stdout.write("after!");');
    expect(runs(bundle)).toBe('after! cache false');
  });

  it('damaged past its header is not given to V8 (which would crash)', () => {
    const bundle = join(dir, 'damaged.js');
    writeFileSync(bundle, bundleText);
    written(bundle);
    const cache = readFileSync(codeCacheOf(bundle));
    for (let i = cache.length >> 1; i < (cache.length >> 1) + 16; i++) cache[i] ^= 0x5a;
    writeFileSync(codeCacheOf(bundle), cache);
    expect(runs(bundle)).toBe(`["damaged.js","${basename(dir)}",[],"object"] cache false`);
  });

  it('made by another Node is not used', () => {
    const bundle = join(dir, 'other-node.js');
    writeFileSync(bundle, bundleText);
    written(bundle);
    expect(runs(bundle, [], "Object.defineProperty(process, 'version', { value: 'v20.0.0' }); "))
      .toBe(`["other-node.js","${basename(dir)}",[],"object"] cache false`);
  });

  it('that V8 rejects (made under other flags), that is missing, or that is not one, costs nothing but speed', () => {
    const bundle = join(dir, 'plain.js');
    writeFileSync(bundle, bundleText);
    const printed = `["plain.js","${basename(dir)}",[],"object"]`;
    expect(runs(bundle)).toBe(`${printed} cache false`);
    written(bundle, [], ['--max-semi-space-size=64']);
    expect(runs(bundle, ['--max-semi-space-size=64'])).toBe(`${printed} cache true`);
    expect(runs(bundle)).toBe(`${printed} cache false`);
    writeFileSync(codeCacheOf(bundle), 'not a code cache');
    expect(runs(bundle)).toBe(`${printed} cache false`);
  });
});
