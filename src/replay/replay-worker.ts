/** Worker thread entry (dist/replay/replay-worker.js): reads, decodes and replays one capture, and puts
 * each connection's record in the ring as it retires (see connection-record.ts), and its JSON line when
 * the main thread is behind; the main thread does the rest (see replay-thread.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeCapture } from '../analyze';
import { collectingEvery } from '../collect-garbage';
import { CaptureError } from '../capture/record';
import { ConnectionLineWriter } from '../report/connection-line';
import type { Connection } from '../tcp/connection';
import { ConnectionRecordWriter, connectionViewOf } from '../tcp/connection-record';
import { ByteRingWriter } from './byte-ring';
import { LINE, RECORD, RECORD_WITH_LINE, type ErrorJson, type FromReplay, type ReplayTask } from './replay-messages';

/** Progress messages per second: enough for a progress bar. */
const PROGRESS_PER_SECOND = 10;

const port = parentPort;
if (!port) throw new Error('replay/replay-worker.js runs as a worker thread');
const post = (msg: FromReplay): void => port.postMessage(msg);

async function replay(task: ReplayTask): Promise<void> {
  const ring = new ByteRingWriter(task.memory);
  const records = new ConnectionRecordWriter();
  const lines = new ConnectionLineWriter();
  let last = 0;
  try {
    const analysis = await analyzeCapture(task.file, {
      maxConnections: task.maxConnections,
      // The replay's objects die in this thread's heap: it collects them (see collect-garbage.ts).
      onRetire: collectingEvery((conn: Connection) => {
        // Behind, the main thread gets the JSON line made here too (it is a third of its work on a
        // connection): at the end of a capture every connection still held retires at once.
        // Lengths first: write may replace its buffer with a larger one.
        const behind = ring.fill() >= task.behindFill;
        const recordBytes = records.write(conn);
        ring.put(records.bytes, recordBytes, behind ? RECORD_WITH_LINE : RECORD);
        if (behind) {
          const lineBytes = lines.write(connectionViewOf(records.bytes.subarray(0, recordBytes)));
          ring.put(lines.bytes, lineBytes, LINE);
        }
      }),
      onProgress: (bytes, packets) => {
        const now = Date.now();
        if (now - last < 1000 / PROGRESS_PER_SECOND) return;
        last = now;
        post({ type: 'progress', bytes, packets });
      },
    });
    ring.end();
    post({ type: 'done', analysis });
  } catch (err) {
    post({ type: 'failed', error: errorJson(err) });
  }
}

function errorJson(err: unknown): ErrorJson {
  if (err instanceof CaptureError) return { name: err.name, message: err.message, stack: err.stack, code: err.code, offset: err.offset };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

void replay(workerData as ReplayTask);
