import type { Writable } from 'node:stream';
import type { ReportJson } from './report-model';

/** Writes the report as JSON, one finding and one connection per line, without building one giant
 * string (a capture with a million connections would not fit in a single V8 string). */
export async function writeJsonReport(report: ReportJson, out: Writable): Promise<void> {
  const { findings, connections, ...head } = report;
  const headJson = JSON.stringify(head);
  await write(out, headJson.slice(0, -1));
  await writeArray(out, 'findings', findings);
  await writeArray(out, 'connections', connections);
  await write(out, '}\n');
}

async function writeArray(out: Writable, name: string, items: readonly unknown[]): Promise<void> {
  await write(out, `,"${name}":[`);
  for (let i = 0; i < items.length; i++) await write(out, `${i === 0 ? '\n' : ',\n'}${JSON.stringify(items[i])}`);
  await write(out, items.length > 0 ? '\n]' : ']');
}

function write(out: Writable, chunk: string): Promise<void> | void {
  if (out.write(chunk)) return;
  return new Promise((resolve) => out.once('drain', resolve));
}
