/** Runs one input through the whole pipeline and says what happened, without jest, so the same
 * code serves the property tests, the bounded fuzz test and `npm run fuzz`. */
import { Readable } from 'node:stream';
import { analyzeCapture, type Analysis, type AnalyzeOptions } from '../../../src/analyze';
import { readCapture } from '../../../src/capture/read-capture';
import { CaptureError } from '../../../src/capture/record';

export type Outcome =
  /** `frames` is null when the second pass was not asked for. */
  | { kind: 'ok'; analysis: Analysis; frames: number[] | null; ms: number }
  | { kind: 'capture-error'; error: CaptureError; ms: number }
  | { kind: 'crash'; error: unknown; ms: number }
  | { kind: 'hang'; ms: number };

export const CAPTURE_ERROR_CODES: ReadonlySet<string> = new Set(['not-a-capture', 'unsupported-format', 'read-error', 'empty']);

/** How the bytes reach the reader: one chunk, or cut every `size` bytes / at seeded random points. */
export type Chunking =
  | { kind: 'whole' }
  | { kind: 'fixed'; size: number }
  /** Chunks of 1..max bytes; with `empties`, zero-length chunks between some of them. */
  | { kind: 'random'; seed: number; max: number; empties?: boolean };

export function chunksOf(bytes: Buffer, chunking: Chunking): Buffer[] {
  if (bytes.length === 0) return [];
  if (chunking.kind === 'whole') return [bytes];
  const out: Buffer[] = [];
  if (chunking.kind === 'fixed') {
    for (let p = 0; p < bytes.length; p += chunking.size) out.push(bytes.subarray(p, p + chunking.size));
    return out;
  }
  let s = chunking.seed >>> 0;
  for (let p = 0; p < bytes.length;) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const n = 1 + (s % chunking.max);
    out.push(bytes.subarray(p, p + n));
    if (chunking.empties && (s & 0x300) === 0) out.push(bytes.subarray(0, 0));
    p += n;
  }
  return out;
}

export interface RunOptions extends AnalyzeOptions {
  /** Read the input a second time with readCapture for the frame numbers (default true). */
  frames?: boolean;
}

/** analyzeCapture on a stream of the bytes, then readCapture again for the frame numbers (the
 * Analysis does not list them). A promise still pending after `timeoutMs` is a hang; a loop that
 * never yields cannot be caught here (the fuzzer runs inputs in a worker it can terminate). */
export async function runInput(bytes: Buffer, chunking: Chunking = { kind: 'whole' }, timeoutMs = 5000, options: RunOptions = {}): Promise<Outcome> {
  const { frames: wantFrames = true, ...analyzeOptions } = options;
  const t0 = performance.now();
  const ms = (): number => performance.now() - t0;
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutMs);
  });
  try {
    const work = (async () => {
      const analysis = await analyzeCapture(Readable.from(chunksOf(bytes, chunking)), analyzeOptions);
      if (!wantFrames) return { analysis, frames: null };
      const frames: number[] = [];
      await readCapture(Readable.from(chunksOf(bytes, chunking)), { record: (r) => { frames.push(r.frame); }, issue: () => {} });
      return { analysis, frames };
    })();
    const done = await Promise.race([work, hang]);
    if (done === 'hang') return { kind: 'hang', ms: ms() };
    return { kind: 'ok', ...done, ms: ms() };
  } catch (error) {
    if (error instanceof CaptureError) return { kind: 'capture-error', error, ms: ms() };
    return { kind: 'crash', error, ms: ms() };
  } finally {
    clearTimeout(timer);
  }
}

/** One line naming a crash: error name, message and the first stack frame in our sources. */
export function crashSignature(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : typeof error;
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(error);
  const stack = typeof e?.stack === 'string' ? e.stack.split('\n') : [];
  const frame = stack.find((l) => /\/src\//.test(l))?.trim().replace(/^at /, '').replace(/\(.*\/src\//, '(src/') ?? '';
  return `${name}: ${message}${frame ? ` @ ${frame}` : ''}`;
}
