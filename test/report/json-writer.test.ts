/** The JSON writer drives its output itself (write, drain, end) and reuses a file's written chunks: the
 * bytes stay right whatever the stream does with them, and every failure rejects instead of crashing. */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { buildReport } from '../../src/report/build-report';
import { jsonReportChunks, writeJsonReport } from '../../src/report/json-writer';
import type { Report } from '../../src/report/report-model';
import { incidentScripts } from '../support/incident-script';
import { analyzeScript } from '../support/tcp-script';

let big: Report;
let expected: Buffer;

beforeAll(async () => {
  // Several MiB of JSON: many chunks, so chunks are reused and the output pushes back.
  big = buildReport(await analyzeScript(...incidentScripts({ checks: 3000 })), { file: 'big.pcap', sizeBytes: 1 }, { thresholds: DEFAULT_THRESHOLDS });
  expected = Buffer.concat([...jsonReportChunks(big)].map((c) => Buffer.from(c)));
  expect(expected.length).toBeGreaterThan(4 << 20);
});

/** A stream that keeps every chunk it is given and calls back later, as a slow consumer may. */
function keeper(): { out: Writable; bytes: () => Buffer } {
  const kept: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1 << 16,
    write(chunk: Buffer, _encoding, callback) {
      kept.push(chunk);
      setImmediate(callback);
    },
  });
  return { out, bytes: () => Buffer.concat(kept) };
}

describe('writing the JSON report', () => {
  it('to a file, with its chunks reused, writes exactly the document', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tcpteardown-json-')), 'r.json');
    await writeJsonReport(big, createWriteStream(file));
    expect(readFileSync(file).equals(expected)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ summary: big.summary });
  });

  it('to a stream that holds chunks after calling back: nothing is overwritten', async () => {
    const { out, bytes } = keeper();
    await writeJsonReport(big, out);
    expect(bytes().equals(expected)).toBe(true);
  });

  it('a full disk rejects, for a small report (one write) and a big one', async () => {
    if (!existsSync('/dev/full')) return;
    const small = buildReport(await analyzeScript(...incidentScripts({ checks: 2 })), { file: 's.pcap', sizeBytes: 1 }, { thresholds: DEFAULT_THRESHOLDS });
    await expect(writeJsonReport(small, createWriteStream('/dev/full'))).rejects.toThrow(/ENOSPC/);
    await expect(writeJsonReport(big, createWriteStream('/dev/full'))).rejects.toThrow(/ENOSPC/);
  });

  it('an output closed before the end rejects instead of waiting forever', async () => {
    const { out } = keeper();
    const writing = writeJsonReport(big, out);
    setImmediate(() => out.destroy());
    await expect(writing).rejects.toThrow();
  });
});
