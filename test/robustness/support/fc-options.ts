/** fast-check settings shared by the robustness suite.
 *
 *   FAST_CHECK_NUM_RUNS=2000 npx jest test/robustness    every property runs 2000 times
 *   FAST_CHECK_NUM_RUNS=x10 npx jest test/robustness     every property runs 10 times its default
 *   FAST_CHECK_SEED=-123 FAST_CHECK_PATH=4:1 npx jest …   replays the failure a report printed
 *
 * A failing property throws fast-check's report, which starts with the seed and path to replay. */
import type { Parameters } from 'fast-check';

const numRunsSetting = process.env.FAST_CHECK_NUM_RUNS?.trim() ?? '';

/** The number of runs for a property whose CI default is `base`. */
export function numRuns(base: number): number {
  if (numRunsSetting === '') return base;
  const factor = /^x(\d+(\.\d+)?)$/i.exec(numRunsSetting);
  if (factor) return Math.max(1, Math.round(base * Number(factor[1])));
  const fixed = Number(numRunsSetting);
  if (!Number.isInteger(fixed) || fixed < 1) throw new Error(`FAST_CHECK_NUM_RUNS must be a positive integer or xFACTOR, not ${numRunsSetting}`);
  return fixed;
}

/** The scale factor the setting implies for loops that are not fast-check properties. */
export function runScale(base: number): number {
  return numRuns(base) / base;
}

/** A jest timeout for a test whose default runs take about `defaultMs`, scaled with the runs. */
export function timeoutFor(base: number, defaultMs: number): number {
  return Math.max(30_000, Math.ceil(runScale(base) * defaultMs * 10));
}

export function fcOptions<T>(base: number, extra: Parameters<T> = {}): Parameters<T> {
  const seed = process.env.FAST_CHECK_SEED;
  const path = process.env.FAST_CHECK_PATH;
  return {
    numRuns: numRuns(base),
    ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}),
    ...(path !== undefined && path !== '' ? { path } : {}),
    ...extra,
  };
}
