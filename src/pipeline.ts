import { analyzeCapture } from './analyze';
import type { DetectOptions } from './detect/run-detectors';
import { buildReport } from './report/build-report';
import type { ReportJson } from './report/report-model';
import type { Connection } from './tcp/connection';
import { connectionJson, type ConnectionJson } from './tcp/connection-view';

export interface ReportCaptureOptions {
  /** The name the report gives the capture ('-' for standard input). */
  file: string;
  /** File size for the report; for a stream, 0 means "use the bytes read". */
  sizeBytes: number;
  detect: DetectOptions;
  maxConnections?: number;
  onProgress?: (bytesRead: number, packets: number) => void;
  /** Called when reading is done and the detectors and the report are built (seconds on big captures). */
  onReading?: (done: { connections: number }) => void;
}

/** One capture in, its report out: the whole pipeline (capture → decode → flow → tcp → detect → report).
 * Throws CaptureError when the input cannot be read as a capture at all. */
export async function reportCapture(input: string | NodeJS.ReadableStream, options: ReportCaptureOptions): Promise<ReportJson> {
  // Each connection becomes its report view as soon as it is over, and its replay state is freed.
  const views: ConnectionJson[] = [];
  const onRetire = (conn: Connection): void => { views[conn.id] = connectionJson(conn); };
  const analysis = await analyzeCapture(input, { onProgress: options.onProgress, maxConnections: options.maxConnections, onRetire });
  options.onReading?.({ connections: views.length });
  return buildReport(analysis, { file: options.file, sizeBytes: options.sizeBytes || analysis.bytes }, options.detect, views);
}
