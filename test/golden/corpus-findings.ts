/** The findings of every public corpus capture, one line each, in the form the golden file keeps:
 * "severity kind subject duration". Shared by the golden test and its update script. */
import { join } from 'node:path';
import { CaptureError } from '../../src/capture/record';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { reportCapture } from '../../src/pipeline';
import { CORPUS_CAPTURES } from '../support/corpus';

export const GOLDEN_PATH = join(__dirname, 'corpus-findings.json');

export async function findingLines(capture: string): Promise<string[]> {
  try {
    const report = await reportCapture(join(CORPUS_CAPTURES, capture), { file: capture, sizeBytes: 0, detect: { thresholds: DEFAULT_THRESHOLDS } });
    return [...report.findings].map((f) => {
      const subject = f.connection !== undefined ? `#${f.connection}` : `${f.listener ?? ''} ${(f.connections ?? []).length} conns`.trim();
      const duration = f.duration_s === undefined ? '' : ` ${f.duration_s.toFixed(3)}s${f.duration_is_lower_bound ? '+' : ''}`;
      return `${f.severity} ${f.kind} ${subject}${duration}`;
    });
  } catch (err) {
    if (err instanceof CaptureError) return [`unreadable: ${err.code}`];
    throw err;
  }
}
