import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** reports/<local date-time>/ (e.g. reports/2026-11-24_10-15-00), with -2, -3… when it exists. */
export function defaultOutDir(now: Date = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}_${p(now.getHours())}-${p(now.getMinutes())}-${p(now.getSeconds())}`;
  let dir = join('reports', stamp);
  for (let n = 2; existsSync(dir); n++) dir = join('reports', `${stamp}-${n}`);
  return dir;
}
