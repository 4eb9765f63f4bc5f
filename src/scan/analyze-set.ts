import { CaptureError } from '../capture/record';
import { reportCapture } from '../pipeline';
import { SpoolError } from '../report/connection-spool';
import type { Report } from '../report/report-model';
import { captureErrorMessage } from './capture-error-message';
import { concatenatedCapture, memberOffset } from './concat-stream';
import { entryFromReport, errorEntry, unitLabel } from './index-entry';
import type { IndexFile } from './index-model';
import type { AnalyzeTask } from './messages';
import { writeUnitReports } from './unit-reports';

/** Analyses one file (exactly as `analyze` would) or a merged set as one timeline, writes its
 * report and returns its index entry. An unreadable capture becomes an error entry. */
export async function analyzeSet(task: AnalyzeTask, onProgress: (bytesRead: number, packets: number) => void): Promise<IndexFile> {
  const { merged } = task;
  const raw = { bytes: 0 };
  const input = merged ? concatenatedCapture(merged, raw) : task.unit.file;
  let report: Report;
  try {
    report = await reportCapture(input, {
      file: unitLabel(task.unit),
      sizeBytes: task.unit.sizeBytes,
      detect: task.detect,
      onProgress: (bytes, packets) => onProgress(merged ? raw.bytes : bytes, packets),
    });
  } catch (err) {
    if (err instanceof CaptureError) return errorEntry(task.unit, captureErrorMessage(err));
    if (err instanceof SpoolError) return spoolFailed(task, err);
    throw err;
  }
  try {
    await writeUnitReports(report, task.out, task.reports, merged ? null : task.unit.file);
  } catch (err) {
    if (err instanceof SpoolError) return spoolFailed(task, err);
    throw err;
  } finally {
    report.connections.close();
  }
  return entryFromReport(report, task.unit, task.reports, warnings(report, task));
}

/** The temporary file of connections failed (TMPDIR, not the capture): the unit gets an error entry. */
function spoolFailed(task: AnalyzeTask, err: SpoolError): IndexFile {
  return errorEntry(task.unit, `${err.folder}: ${err.message}`);
}

/** The damage the report lists, as lines; in a merged set each names the file it is in. */
function warnings(report: Report, task: AnalyzeTask): string[] {
  const { merged } = task;
  return report.input.issues.map((issue) => {
    if (!merged) return `${issue.message} (byte offset ${issue.offset})`;
    const at = memberOffset(merged, issue.offset);
    return `${at.member.path}: ${issue.message} (byte offset ${at.offset} of that file)`;
  });
}
