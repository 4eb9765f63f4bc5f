/** One fuzz input through the pipeline, judged by the invariants. */
import { violations } from './invariants';
import { runInput, type Chunking } from './outcome';

export type Verdict = 'ok' | 'crash' | 'hang';

export interface FuzzResult {
  verdict: Verdict;
  /** ok / capture-error / crash / hang, as the pipeline ended. */
  outcome: string;
  problems: string[];
  ms: number;
  packets: number;
  /** Decompressed bytes the reader got through (0 unless it read the input as a capture). */
  bytesRead: number;
  /** What the input exercised: issue codes, skip reasons, the CaptureError code (for coverage totals). */
  codes: string[];
}

/** Chunk sizes vary with the input so chunk boundaries fall everywhere over a run. */
export function chunkingFor(seed: number): Chunking {
  switch (seed % 4) {
    case 0: return { kind: 'whole' };
    case 1: return { kind: 'random', seed, max: 64 };
    case 2: return { kind: 'random', seed, max: 4096 };
    default: return { kind: 'fixed', size: 16384 };
  }
}

/** `frames: false` skips the second read that checks frame numbers (the bounded jest run samples it). */
export async function fuzzOne(bytes: Buffer, chunkSeed: number, timeoutMs: number, opts: { frames?: boolean } = {}): Promise<FuzzResult> {
  const outcome = await runInput(bytes, chunkingFor(chunkSeed), timeoutMs, { frames: opts.frames ?? true });
  const problems = violations(outcome);
  const verdict: Verdict = outcome.kind === 'hang' ? 'hang' : problems.length > 0 ? 'crash' : 'ok';
  const packets = outcome.kind === 'ok' ? outcome.analysis.packets : 0;
  const codes = outcome.kind === 'ok'
    ? [...new Set(outcome.analysis.issues.map((i) => `issue:${i.code}`)), ...Object.keys(outcome.analysis.skipped).map((r) => `skip:${r}`)]
    : outcome.kind === 'capture-error' ? [`error:${outcome.error.code}`] : [];
  const bytesRead = outcome.kind === 'ok' ? outcome.analysis.bytes : 0;
  return { verdict, outcome: outcome.kind, problems, ms: outcome.ms, packets, bytesRead, codes };
}

/** Problems with their numbers masked: one signature per bug, not per input. */
export function signature(problems: string[]): string {
  return (problems[0] ?? '').replace(/\b\d+(\.\d+)?\b/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 200);
}
