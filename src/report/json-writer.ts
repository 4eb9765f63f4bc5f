import type { Writable } from 'node:stream';
import type { ReportJson } from './report-model';

/** Lines are gathered into chunks of about this many characters before they are written. */
const CHUNK_CHARS = 1 << 20;

/** Writes the report as JSON, one finding and one connection per line, without building one giant
 * string (a capture with a million connections would not fit in a single V8 string). */
export async function writeJsonReport(report: ReportJson, out: Writable): Promise<void> {
  const { findings, connections, ...head } = report;
  const sink = new ChunkedWriter(out);
  await sink.add(JSON.stringify(head).slice(0, -1));
  await writeArray(sink, 'findings', findings);
  await writeArray(sink, 'connections', connections);
  await sink.add('}\n');
  await sink.flush();
}

async function writeArray(sink: ChunkedWriter, name: string, items: readonly unknown[]): Promise<void> {
  await sink.add(`,"${name}":[`);
  for (let i = 0; i < items.length; i++) await sink.add(`${i === 0 ? '\n' : ',\n'}${JSON.stringify(items[i])}`);
  await sink.add(items.length > 0 ? '\n]' : ']');
}

/** Few large writes instead of one per line; waits for 'drain' when the destination asks to. */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly out: Writable) {}

  add(text: string): Promise<void> | void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK_CHARS) return this.flush();
  }

  flush(): Promise<void> | void {
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (chunk.length === 0 || this.out.write(chunk)) return;
    return new Promise((resolve) => this.out.once('drain', resolve));
  }
}
