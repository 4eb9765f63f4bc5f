/** --html and --md: the report as a document for people, to a file or to standard output. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { htmlReportForCapture } from '../report/html/report-for-capture';
import { markdownReport } from '../report/markdown/markdown-report';
import type { Report } from '../report/report-model';
import { writeOutputFile } from './output-file';

export interface DocumentTargets {
  /** Paths, '-' for standard output, undefined when not asked for. */
  html?: string;
  md?: string;
  /** The capture file, read a second time for the ladder diagrams; null for standard input. */
  captureFile: string | null;
  quiet: boolean;
}

export async function writeDocuments(report: Report, targets: DocumentTargets): Promise<void> {
  if (targets.html !== undefined) {
    await writeDocument(targets.html, 'HTML report', await htmlReportForCapture(report, targets.captureFile), targets.quiet);
  }
  if (targets.md !== undefined) await writeDocument(targets.md, 'Markdown report', markdownReport(report), targets.quiet);
}

async function writeDocument(target: string, what: string, text: string, quiet: boolean): Promise<void> {
  if (target === '-') {
    await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
    return;
  }
  await writeOutputFile(target, (out) => pipeline(Readable.from([text]), out));
  if (!quiet) process.stderr.write(`${what}: ${target}\n`);
}
