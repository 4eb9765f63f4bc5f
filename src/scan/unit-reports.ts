import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { htmlReportForCapture } from '../report/html/report-for-capture';
import { writeJsonReport } from '../report/json-writer';
import type { Report } from '../report/report-model';
import type { ReportPaths } from './index-model';
import { reportPath } from './report-names';

/** Where the reports of the unit whose first file is `file` go, relative to --out. */
export function unitReportPaths(file: string): ReportPaths {
  return { html: reportPath(file, 'html'), json: reportPath(file, 'json') };
}

/** The JSON and HTML reports of one unit. `captureFile`: read again for the packets of the ladder
 * diagrams (as `analyze --html` does); null for a merged set, whose ladders draw the teardown events. */
export async function writeUnitReports(report: Report, out: string, paths: ReportPaths, captureFile: string | null): Promise<void> {
  await mkdir(dirname(join(out, paths.json)), { recursive: true });
  await writeJsonReport(report, createWriteStream(join(out, paths.json)));
  await writeFile(join(out, paths.html), await htmlReportForCapture(report, captureFile));
}
