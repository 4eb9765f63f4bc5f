import { analyzeCapture, type Analysis } from './analyze';
import { RetirementFindings, type DetectOptions } from './detect/run-detectors';
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

/** A capture read to the end, each connection turned into its report view as it retired. */
export interface RetiredCapture {
  analysis: Analysis;
  views: ConnectionJson[];
  /** What the detectors that look at one connection at a time found then. */
  retired: RetirementFindings;
}

/** capture → decode → flow → tcp: each connection becomes its report view as soon as it is over (its
 * replay state is freed), and the detectors that look at one connection at a time look at it then. */
export async function readIntoViews(input: string | NodeJS.ReadableStream, options: ReportCaptureOptions): Promise<RetiredCapture> {
  const views: ConnectionJson[] = [];
  const retired = new RetirementFindings(options.detect);
  // One string per listener, shared by all its views: the report groups hundreds of thousands of views
  // by listener, and a shared string is hashed once and compared by identity.
  const listeners = new Map<string, string>();
  const onRetire = (conn: Connection): void => {
    const view = connectionJson(conn);
    const server = listeners.get(view.server);
    if (server === undefined) listeners.set(view.server, view.server);
    else view.server = server;
    views[conn.id] = view;
    retired.add(view);
  };
  const analysis = await analyzeCapture(input, { onProgress: options.onProgress, maxConnections: options.maxConnections, onRetire });
  return { analysis, views, retired };
}

/** One capture in, its report out: the whole pipeline (capture → decode → flow → tcp → detect → report).
 * Throws CaptureError when the input cannot be read as a capture at all. */
export async function reportCapture(input: string | NodeJS.ReadableStream, options: ReportCaptureOptions): Promise<ReportJson> {
  const { analysis, views, retired } = await readIntoViews(input, options);
  options.onReading?.({ connections: views.length });
  return buildReport(analysis, { file: options.file, sizeBytes: options.sizeBytes || analysis.bytes }, options.detect, views, retired);
}
