/** A report whose connections were kept as records (no JSON output asked for) reads the same as one whose
 * connections were kept as JSON lines: its HTML (ladders and connection tables read views by id), its
 * Markdown and its terminal report, for every lab and corpus capture. (Its JSON is compared in
 * replay-thread.test.ts, on one thread and two.) */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { reportCapture } from '../../src/pipeline';
import type { ConnectionSpool } from '../../src/report/connection-spool';
import { htmlReportForCapture } from '../../src/report/html/report-for-capture';
import { markdownReport } from '../../src/report/markdown/markdown-report';
import { terminalReport } from '../../src/report/terminal-report';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures } from '../support/corpus';

const CAPTURES = join(__dirname, '..', '..', 'captures');

/** The spool's format, then the three documents. */
async function documents(file: string, writesJson: boolean): Promise<string[]> {
  const report = await reportCapture(file, { file, sizeBytes: 0, detect: { thresholds: DEFAULT_THRESHOLDS }, writesJson });
  try {
    const terminal = terminalReport(report, { width: 100, color: false }).join('\n');
    return [(report.connections as ConnectionSpool).format, await htmlReportForCapture(report, file), markdownReport(report), terminal];
  } finally {
    report.connections.close();
  }
}

describe('connections kept as records', () => {
  it('give the same HTML, Markdown and terminal report as lines, for every lab and corpus capture', async () => {
    const files = [
      ...readdirSync(CAPTURES).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f)).map((f) => join(CAPTURES, f)),
      ...(corpusAvailable() ? corpusCaptures().map((f) => join(CORPUS_CAPTURES, f)) : []),
    ];
    let compared = 0;
    for (const file of files) {
      const lines = await documents(file, true).catch((err: Error) => [err.message]);
      const records = await documents(file, false).catch((err: Error) => [err.message]);
      // A capture that cannot be read gives the same error either way.
      const read = lines.length > 1;
      if (read) {
        expect([lines[0], records[0]]).toEqual(['lines', 'records']);
        compared++;
      }
      expect({ file, documents: read ? records.slice(1) : records }).toEqual({ file, documents: read ? lines.slice(1) : lines });
    }
    expect(compared).toBeGreaterThan(corpusAvailable() ? 80 : 10);
  }, 240_000);
});
