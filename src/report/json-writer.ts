import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReportJson } from './report-model';

/** Bytes per chunk handed to the output. */
const CHUNK_BYTES = 1 << 20;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_CHAR = 3;

/** Encodes text straight into chunk-sized Buffers: one copy per line, instead of joining lines into big
 * strings and encoding those again (a capture with a million connections writes gigabytes). */
class ChunkBuilder {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;

  /** Adds `text`; returns the chunk it filled up, if it did (handed over: the output may still hold it). */
  add(text: string): Buffer | null {
    const room = text.length * MAX_UTF8_PER_CHAR;
    let full: Buffer | null = null;
    if (this.used + room > this.buf.length) {
      if (this.used > 0) full = this.buf.subarray(0, this.used);
      this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room));
      this.used = 0;
    }
    this.used += this.buf.write(text, this.used);
    return full;
  }

  /** What is left at the end. */
  rest(): Buffer | null {
    return this.used > 0 ? this.buf.subarray(0, this.used) : null;
  }
}

/** The report as JSON in chunks, one finding and one connection per line, never as one giant string
 * (a capture with a million connections would not fit in a single V8 string). */
export function* jsonReportChunks(report: ReportJson): Generator<Buffer> {
  const { findings, connections, ...head } = report;
  const out = new ChunkBuilder();
  const texts = function* (): Generator<string> {
    yield JSON.stringify(head).slice(0, -1);
    for (const [name, items] of [['findings', findings], ['connections', connections]] as const) {
      yield `,"${name}":[`;
      for (let i = 0; i < items.length; i++) {
        yield i > 0 ? ',\n' : '\n';
        yield JSON.stringify(items[i]);
      }
      yield items.length > 0 ? '\n]' : ']';
    }
    yield '}\n';
  };
  for (const text of texts()) {
    const chunk = out.add(text);
    if (chunk !== null) yield chunk;
  }
  const last = out.rest();
  if (last !== null) yield last;
}

/** Writes the report to `out` with backpressure; rejects on a write error. Standard output is not ended. */
export async function writeJsonReport(report: ReportJson, out: Writable): Promise<void> {
  await pipeline(Readable.from(jsonReportChunks(report), { objectMode: false }), out, { end: out !== process.stdout });
}
