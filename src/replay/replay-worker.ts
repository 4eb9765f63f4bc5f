/** Worker thread entry (dist/replay/replay-worker.js): replays the TCP segments the main thread decoded
 * (see segment-batch.ts), and puts each connection's record in the connection ring as it retires (see
 * connection-record.ts), and its findings and JSON line when the main thread is behind; the main thread
 * does the rest (see replay-thread.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { SegmentReplay } from '../analyze';
import { collectingEvery } from '../collect-garbage';
import { newTcpPacket } from '../decode/tcp-packet';
import type { Finding } from '../detect/finding';
import { FoundWriter, type DetectorFinding } from '../detect/found-bytes';
import { RetirementDetectors } from '../detect/run-detectors';
import { ConnectionLineWriter } from '../report/connection-line';
import type { Connection } from '../tcp/connection';
import { ConnectionRecordWriter, connectionCoreOf, recordMemoryOf } from '../tcp/connection-record';
import { ByteRingReader, ByteRingWriter } from './byte-ring';
import { MainBehind } from './main-behind';
import { FOUND, LINE, RECORD, RECORD_WITH_LINE, RETRACTED, type ErrorJson, type FromReplay, type ReplayTask } from './replay-messages';
import { SegmentBatchReader } from './segment-batch';

const port = parentPort;
if (!port) throw new Error('replay/replay-worker.js runs as a worker thread');
const post = (msg: FromReplay): void => port.postMessage(msg);

function replay(task: ReplayTask): void {
  const segments = new ByteRingReader(task.segments);
  // The main thread may be waiting to put segments while this one waits for it to take connections.
  const ring = new ByteRingWriter(task.connections, { beforeWait: () => segments.wakeWriter() });
  const records = new ConnectionRecordWriter();
  // Records are written straight into the ring, unless they go with findings or a line.
  const ringMemory = recordMemoryOf(task.connections);
  const lines = new ConnectionLineWriter();
  const retirement = task.detect === undefined ? null : new RetirementDetectors(task.detect);
  // --only may leave none to run.
  const detectors = retirement !== null && retirement.detectors.length > 0 ? retirement : null;
  const foundWriter = new FoundWriter();
  const found: DetectorFinding[] = [];
  const keepFound = (k: number, finding: Finding): void => { found.push([k, finding]); };
  const idBytes = Buffer.alloc(4);
  const helpful = detectors !== null || task.lines;
  const behind = new MainBehind(task.behindFill);
  /** Puts the connection's record; when the main thread is behind, with its findings and JSON line,
   * most of the main thread's work on a connection. */
  const put = (conn: Connection): void => {
    const help = helpful && behind.at(ring.fill());
    const recordBytes = records.measure(conn);
    if (!help && recordBytes <= ring.maxClaim) {
      records.writeAt(conn, ringMemory, ring.claim(recordBytes));
      ring.commit(recordBytes, RECORD);
      return;
    }
    // In the writer's own buffer: to be read back, or put in several pieces.
    records.writeMeasured(conn, recordBytes);
    // Read back only to help (most connections are not).
    const view = help ? connectionCoreOf(records.bytes.subarray(0, recordBytes)) : null;
    const withLine = task.lines ? view : null;
    if (view !== null && detectors !== null) {
      found.length = 0;
      const foundBytes = foundWriter.write(view.id, detectors.run(view, keepFound), found);
      ring.put(foundWriter.bytes, foundBytes, FOUND);
    }
    ring.put(records.bytes, recordBytes, withLine !== null ? RECORD_WITH_LINE : RECORD);
    if (withLine !== null) {
      const lineBytes = lines.write(withLine);
      ring.put(lines.bytes, lineBytes, LINE);
    }
  };
  // A connection that is over is held RETIRE_CLOSED_S of capture time before it retires, for late
  // packets (a capture shorter than that holds nearly all to its end). Its record goes over when it
  // closes, so that the main thread, idle while this one replays, spools it then; or, when the main
  // thread is behind, with its findings and line, which it would get at retirement anyway.
  const closed = task.recordsAtClose ? (conn: Connection): void => {
    if (conn.recordSentAtFrame >= 0) return;
    put(conn);
    conn.recordSentAtFrame = conn.lastFrame;
  } : undefined;
  try {
    // The replay's objects die in this thread's heap: it collects them (see collect-garbage.ts).
    const replayed = new SegmentReplay(task.maxConnections, collectingEvery((conn: Connection) => {
      const sentAt = conn.recordSentAtFrame;
      if (sentAt >= 0) {
        // No packet since: the record that went over is the connection's.
        if (sentAt === conn.lastFrame) return;
        idBytes.writeUInt32LE(conn.id);
        ring.put(idBytes, idBytes.length, RETRACTED);
      }
      put(conn);
    }), closed);
    const batches = new SegmentBatchReader();
    const pkt = newTcpPacket();
    // The main thread gave up when it abandoned the connection ring.
    segments.takeAllBlocking((batch) => batches.forEach(batch, pkt, replayed.segment), () => ring.abandoned);
    const flows = replayed.finish();
    ring.end();
    post({ type: 'done', flows });
  } catch (err) {
    // The main thread may be waiting for room in the segment ring: it stops waiting, and reads this.
    segments.abandon();
    post({ type: 'failed', error: errorJson(err) });
  }
}

function errorJson(err: unknown): ErrorJson {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

replay(workerData as ReplayTask);
