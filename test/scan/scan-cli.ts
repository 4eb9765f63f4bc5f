/** Runs the built command (dist/, as `npm test` builds it) and reads what a scan wrote. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanIndex } from '../../src/scan/index-model';
import type { ReportJson } from '../../src/report/report-model';

export const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tcpteardown(args: string[], cwd: string): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** A fresh folder, removed after the test file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tcpteardown-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function readIndex(out: string): ScanIndex {
  return JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as ScanIndex;
}

export function readReport(out: string, path: string): ReportJson {
  return JSON.parse(readFileSync(join(out, path), 'utf8')) as ReportJson;
}

/** Every file under `dir` (relative path → content), for comparing two outputs whole. */
export function folderContents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = readFileSync(path, 'utf8');
  }
  return out;
}
