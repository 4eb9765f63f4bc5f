import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReportJson } from './report-model';

/** Bytes per chunk handed to the output. */
const CHUNK_BYTES = 1 << 20;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_CHAR = 3;
const NONE: readonly Buffer[] = [];

/** Encodes text straight into chunk-sized Buffers: one copy per line, instead of joining lines into big
 * strings and encoding those again (a capture with a million connections writes gigabytes). */
class ChunkBuilder {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  /** Adds `text`; returns the chunks that filled up (usually none). */
  add(text: string): readonly Buffer[] {
    if (this.used + text.length * MAX_UTF8_PER_CHAR <= this.buf.length) {
      this.used += this.buf.write(text, this.used);
      return NONE;
    }
    const full = this.take();
    if (text.length * MAX_UTF8_PER_CHAR > this.buf.length) return [...full, Buffer.from(text)];
    this.used = this.buf.write(text, 0);
    return full;
  }

  /** What is held, handed over (the buffer is not reused: the output may still hold it). */
  take(): readonly Buffer[] {
    if (this.used === 0) return NONE;
    const chunk = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return [chunk];
  }
}

/** The report as JSON in chunks, one finding and one connection per line, never as one giant string
 * (a capture with a million connections would not fit in a single V8 string). */
export function* jsonReportChunks(report: ReportJson): Generator<Buffer> {
  const { findings, connections, ...head } = report;
  const out = new ChunkBuilder();
  yield* out.add(JSON.stringify(head).slice(0, -1));
  for (const [name, items] of [['findings', findings], ['connections', connections]] as const) {
    yield* out.add(`,"${name}":[`);
    for (let i = 0; i < items.length; i++) {
      yield* out.add(i > 0 ? ',\n' : '\n');
      yield* out.add(JSON.stringify(items[i]));
    }
    yield* out.add(items.length > 0 ? '\n]' : ']');
  }
  yield* out.add('}\n');
  yield* out.take();
}

/** Writes the report to `out` with backpressure; rejects on a write error. Standard output is not ended. */
export async function writeJsonReport(report: ReportJson, out: Writable): Promise<void> {
  await pipeline(Readable.from(jsonReportChunks(report), { objectMode: false }), out, { end: out !== process.stdout });
}
