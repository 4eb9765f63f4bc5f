import { WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { FindingList } from '../detect/finding-list';
import type { Report } from './report-model';

/** Bytes per chunk handed to the output. */
const CHUNK_BYTES = 1 << 20;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_CHAR = 3;

/** Encodes text straight into chunk-sized Buffers: one copy per line, instead of joining lines into big
 * strings and encoding those again (a capture with a million connections writes gigabytes). Chunks a
 * file has written come back (recycle) and are filled again: the first touch of fresh memory costs more
 * than the write itself (500 MB of new buffers: 0.7-1.2 s; recycled: 0.2 s, measured). Only a file's
 * write callback means the bytes left the buffer; other streams may hold a chunk after calling back. */
class ChunkBuilder {
  private readonly free: Buffer[] = [];
  private buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  /** `recycles`: the output is a file, whose write callback means the chunk is free again. */
  constructor(private readonly recycles = false) {}

  /** Adds `text`, encoded at once; returns the chunk it filled up, if it did (handed over: the output may
   * still hold it). */
  add(text: string): Buffer | null {
    const room = text.length * MAX_UTF8_PER_CHAR;
    const full = this.used + room > this.buf.length ? this.take(room) : null;
    this.used += this.buf.write(text, this.used);
    return full;
  }

  /** Copies bytes `from` on of `bytes`, as many as the chunk has room for; returns where it stopped
   * (`bytes.length` once all are in). Then `take` the full chunk, and fill on. */
  fill(bytes: Buffer, from: number): number {
    const n = bytes.copy(this.buf, this.used, from);
    this.used += n;
    return from + n;
  }

  /** Hands over the chunk filled so far (null if empty), and starts one with room for `room` bytes. */
  take(room = 0): Buffer | null {
    const full = this.used > 0 ? this.buf.subarray(0, this.used) : null;
    this.buf = (room <= CHUNK_BYTES ? this.free.pop() : undefined) ?? Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room));
    this.used = 0;
    return full;
  }

  /** What is left at the end. */
  rest(): Buffer | null {
    return this.used > 0 ? this.buf.subarray(0, this.used) : null;
  }

  /** A chunk the output is done with: its memory can take the next one. */
  recycle(chunk: Buffer): void {
    if (this.recycles && chunk.byteOffset === 0 && chunk.buffer.byteLength === CHUNK_BYTES) this.free.push(Buffer.from(chunk.buffer));
  }
}

/** The report as JSON in chunks, one finding and one connection per line, never as one giant string
 * (a capture with a million connections would not fit in a single V8 string). */
export function* jsonReportChunks(report: Report, chunks = new ChunkBuilder()): Generator<Buffer> {
  const { findings, connections, ...head } = report;
  const texts = function* (): Generator<string | Buffer> {
    yield JSON.stringify(head).slice(0, -1);
    yield* jsonArray('findings', findings.length, findingList(findings));
    yield* jsonArray('connections', connections.count, connections.jsonList());
    yield '}\n';
  };
  for (const text of texts()) {
    if (typeof text === 'string') {
      const chunk = chunks.add(text);
      if (chunk !== null) yield chunk;
      continue;
    }
    for (let from = chunks.fill(text, 0); from < text.length; from = chunks.fill(text, from)) {
      const chunk = chunks.take();
      if (chunk !== null) yield chunk;
    }
  }
  const last = chunks.rest();
  if (last !== null) yield last;
}

/** Every finding's JSON text, one a line, joined by ",\n" (as ConnectionSource.jsonList). */
function* findingList(findings: FindingList): Generator<string> {
  for (let i = 0; i < findings.length; i++) {
    if (i > 0) yield ',\n';
    yield findings.json(i);
  }
}

/** `,"name":[` then its `count` items, one a line: `joined` gives them joined by ",\n". */
function* jsonArray(name: string, count: number, joined: Iterable<string | Buffer>): Generator<string | Buffer> {
  yield `,"${name}":[`;
  if (count > 0) {
    yield '\n';
    yield* joined;
    yield '\n';
  }
  yield ']';
}

/** Writes the report to `out` with backpressure, reusing each chunk a file has written; rejects on a write
 * error or when the output closes first. Standard output is not ended. */
export async function writeJsonReport(report: Report, out: Writable): Promise<void> {
  let failure: Error | null = null;
  const onError = (err: Error): void => { failure ??= err; };
  out.on('error', onError);
  try {
    const chunks = new ChunkBuilder(out instanceof WriteStream);
    for (const chunk of jsonReportChunks(report, chunks)) {
      if (failure) throw failure;
      if (!out.write(chunk, (err) => { if (!err) chunks.recycle(chunk); })) await drained(out);
    }
    if (out !== process.stdout) {
      out.end();
      // Also rejects on an error in the last write or in closing, whenever it is emitted.
      await finished(out);
    }
    if (failure) throw failure;
  } finally {
    out.off('error', onError);
  }
}

/** Resolves when `out` wants more; rejects if it fails or closes first. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error): void => {
      out.off('drain', onDrain);
      out.off('error', settle);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onClose = (): void => settle(new Error('the output was closed before the report was written'));
    out.once('drain', onDrain);
    out.once('error', settle);
    out.once('close', onClose);
  });
}
