import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReportJson } from './report-model';

/** Lines are gathered into chunks of about this many characters. */
const CHUNK_CHARS = 1 << 20;

/** The report as JSON text in chunks, one finding and one connection per line, never as one giant string
 * (a capture with a million connections would not fit in a single V8 string). */
export function* jsonReportChunks(report: ReportJson): Generator<string> {
  const { findings, connections, ...head } = report;
  let parts: string[] = [JSON.stringify(head).slice(0, -1)];
  let size = parts[0].length;
  const add = (text: string): string | null => {
    parts.push(text);
    size += text.length;
    if (size < CHUNK_CHARS) return null;
    const chunk = parts.join('');
    parts = [];
    size = 0;
    return chunk;
  };
  for (const [name, items] of [['findings', findings], ['connections', connections]] as const) {
    let chunk = add(`,"${name}":[`);
    if (chunk) yield chunk;
    for (let i = 0; i < items.length; i++) {
      chunk = add(`${i === 0 ? '\n' : ',\n'}${JSON.stringify(items[i])}`);
      if (chunk) yield chunk;
    }
    chunk = add(items.length > 0 ? '\n]' : ']');
    if (chunk) yield chunk;
  }
  parts.push('}\n');
  yield parts.join('');
}

/** Writes the report to `out` with backpressure; rejects on a write error. Standard output is not ended. */
export async function writeJsonReport(report: ReportJson, out: Writable): Promise<void> {
  await pipeline(Readable.from(jsonReportChunks(report)), out, { end: out !== process.stdout });
}
