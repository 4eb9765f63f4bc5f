import { analyzeCapture, type Analysis } from './analyze';
import { collectGarbage, collectingEvery } from './collect-garbage';
import { RetirementFindings, type DetectOptions } from './detect/run-detectors';
import { buildReport } from './report/build-report';
import { ConnectionSpool, type SpoolFormat } from './report/connection-spool';
import type { Report } from './report/report-model';
import type { Connection } from './tcp/connection';
import { replayOnThread } from './replay/replay-thread';
import { connectionCoreOf, connectionRecord } from './tcp/connection-record';
import type { ConnectionCore } from './tcp/connection-view';

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
  /** The report will be written as JSON, which copies every connection's line: each is made as its
   * connection retires (see SpoolFormat). Default true. */
  writesJson?: boolean;
  /** Where the views go as connections retire (tests pass one with small runs); its format is used. */
  spool?: ConnectionSpool;
  /** Replay the capture on a thread of its own while this one reads, decodes and detects (see
   * replay-thread.ts), where a second core is free. */
  replayThread?: boolean;
  /** The replay thread's ring sizes (tests make them small). */
  ringBytes?: number;
  segmentRingBytes?: number;
  /** How full the connection ring is when the replay thread helps this one (see ThreadReplayOptions). */
  behindFill?: number;
}

/** A capture read to the end, each connection spooled as it retired. */
export interface RetiredCapture {
  analysis: Analysis;
  connections: ConnectionSpool;
  /** What the detectors that look at one connection at a time found then. */
  retired: RetirementFindings;
}

/** Connections read from which a full collection is worth its time once the capture is read (see
 * collect-garbage.ts): below that the replay held some tens of megabytes. */
const COLLECT_FROM_CONNECTIONS = 100_000;

/** The facts of up to some 840,000 connections stay in memory while the report is built (its detectors
 * walk every connection's facts several times; paged, each walk reads every page back): on bench (a)
 * (34 MB of facts) the detectors took 0.88-0.94 s instead of 0.99-1.03 s; on bench (b) (80 MB), once at
 * 128 MB, `--json` took 18.97-19.99 s instead of 19.39-20.45 s and the first screen 14.77-15.57 s instead
 * of 15.65-16.38 s (3 alternated pairs each), peak memory the same (832-856 against 835-853 MiB; with
 * one thread 781 against 774 MiB): the replay's is larger. (When f53ef1c chose 64 MB, 128 MB raised
 * (b)'s peak by 25-40 MB: its report was where it peaked then; the replay has taken less since.) */
const REPORT_FACTS_BYTES = 128 << 20;

/** capture → decode → flow → tcp: each connection becomes its report view as soon as it is over (its
 * replay state is freed), the detectors that look at one connection at a time look at it then, and the
 * view is spooled (see ConnectionSpool): memory holds the connections still open and a few facts of each
 * other one, not every view. */
export async function readIntoViews(input: string | NodeJS.ReadableStream, options: ReportCaptureOptions): Promise<RetiredCapture> {
  const format: SpoolFormat = options.spool?.format ?? (options.writesJson === false ? 'records' : 'lines');
  const connections = options.spool ?? new ConnectionSpool({ format });
  const records = format === 'records';
  // Findings made as connections retire are put away in the spool too.
  const retired = new RetirementFindings(options.detect, connections);
  // One string per listener, shared by all its facts: the report groups hundreds of thousands of
  // connections by listener, and a shared string is hashed once and compared by identity.
  const listeners = new Map<string, string>();
  /** `kept`: its bytes in the spool's format, when made already (see ConnectionSpool.add); `detected`: its
   * detectors were run on the replay thread. */
  const keep = (view: ConnectionCore, kept?: Uint8Array, detected = false): void => {
    const server = listeners.get(view.server);
    if (server === undefined) listeners.set(view.server, view.server);
    else view.server = server;
    if (!detected) retired.add(view);
    connections.add(view, kept);
  };
  const { onProgress, maxConnections } = options;
  try {
    const analysis = options.replayThread === true
      ? await replayOnThread(input, {
        onProgress, maxConnections, records, ringBytes: options.ringBytes, segmentRingBytes: options.segmentRingBytes,
        behindFill: options.behindFill, retirement: { detect: options.detect, found: (bytes) => retired.addFound(bytes) },
        retract: (id) => {
          retired.forget(id);
          connections.forget(id);
        },
      }, keep)
      : await analyzeCapture(input, { onProgress, maxConnections, onRetire: collectingEvery((conn: Connection) => {
        const record = connectionRecord(conn);
        keep(connectionCoreOf(record), records ? record : undefined);
      }) });
    await connections.settled();
    if (connections.count >= COLLECT_FROM_CONNECTIONS) collectGarbage();
    connections.keepFactsWithin(REPORT_FACTS_BYTES);
    return { analysis, connections, retired };
  } catch (err) {
    connections.close();
    throw err;
  }
}

/** One capture in, its report out: the whole pipeline (capture → decode → flow → tcp → detect → report).
 * Throws CaptureError when the input cannot be read as a capture at all, SpoolError when the temporary
 * file cannot be written. The caller closes the report's connections when it has written it. */
export async function reportCapture(input: string | NodeJS.ReadableStream, options: ReportCaptureOptions): Promise<Report> {
  const { analysis, connections, retired } = await readIntoViews(input, options);
  options.onReading?.({ connections: connections.count });
  try {
    return buildReport(analysis, { file: options.file, sizeBytes: options.sizeBytes || analysis.bytes }, options.detect, connections, retired);
  } catch (err) {
    connections.close();
    throw err;
  }
}
