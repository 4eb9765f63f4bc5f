/** The replay of a capture file on a thread of its own (replay-worker.ts): reading, decoding, the flow
 * table and the TCP replay there, and each retired connection's record written there, handed to the main
 * thread through a ring in shared memory (see connection-record.ts); the main thread meanwhile makes each
 * connection's view, runs the detectors on it and spools it (its JSON line, its facts). When the main
 * thread falls behind (at the end of a capture, every connection still held retires at once), the replay
 * thread makes the JSON lines too. */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../analyze';
import { CaptureError } from '../capture/record';
import { connectionViewOf } from '../tcp/connection-record';
import type { ConnectionJson } from '../tcp/connection-view';
import { ByteRingReader, newRingMemory } from './byte-ring';
import { RECORD, RECORD_WITH_LINE, type ErrorJson, type FromReplay, type ReplayTask } from './replay-messages';

const WORKER_SCRIPT = join(__dirname, 'replay-worker.js');

export interface ThreadReplayOptions {
  maxConnections?: number;
  onProgress?: (bytesRead: number, packets: number) => void;
  /** The ring's size in bytes, a power of two (tests make it small). */
  ringBytes?: number;
  /** How full the ring is when the main thread counts as behind (default a half; tests take 0 or more
   * than 1, to have every line made on one thread or the other). */
  behindFill?: number;
}

const BEHIND_FILL = 0.5;

/** Replays `file` on a replay thread; `take` gets each connection's view as it retires, in the order
 * they retire, and its JSON line when the replay thread made it (valid only during the call). Rejects
 * with the replay thread's error (a CaptureError as such), or with `take`'s. */
export async function replayOnThread(
  file: string, options: ThreadReplayOptions, take: (view: ConnectionJson, line?: Buffer) => void,
): Promise<Analysis> {
  const memory = newRingMemory(options.ringBytes);
  const ring = new ByteRingReader(memory);
  const task: ReplayTask = { file, maxConnections: options.maxConnections, memory, behindFill: options.behindFill ?? BEHIND_FILL };
  const worker = new Worker(WORKER_SCRIPT, { workerData: task });
  let outcome: { analysis: Analysis } | { error: Error } | null = null;
  const settled = new Promise<void>((resolve) => {
    const settle = (result: { analysis: Analysis } | { error: Error }): void => {
      outcome ??= result;
      ring.wake();
      resolve();
    };
    worker.on('message', (msg: FromReplay) => {
      // Progress still queued once the call has an outcome is dropped: the caller may have moved on.
      if (msg.type === 'progress') {
        if (outcome === null) options.onProgress?.(msg.bytes, msg.packets);
      }
      else if (msg.type === 'done') settle({ analysis: msg.analysis });
      else settle({ error: rebuiltError(msg.error) });
    });
    worker.on('error', (err) => settle({ error: err }));
    worker.on('exit', (code) => settle({ error: new Error(`the replay thread stopped (exit code ${code}) before it was done`) }));
  });
  try {
    // Stops early only on an error: a result comes after the last line.
    let waiting: ConnectionJson | null = null;
    await ring.takeAll((bytes, tag) => {
      if (tag === RECORD) take(connectionViewOf(bytes));
      else if (tag === RECORD_WITH_LINE) waiting = connectionViewOf(bytes);
      else if (waiting !== null) {
        take(waiting, bytes);
        waiting = null;
      }
    }, () => outcome !== null && !('analysis' in outcome));
    await settled;
  } catch (err) {
    ring.abandon();
    throw err;
  } finally {
    void worker.terminate();
  }
  const result = outcome as { analysis: Analysis } | { error: Error } | null;
  if (result === null) throw new Error('the replay thread gave no result');
  if ('error' in result) throw result.error;
  return result.analysis;
}

function rebuiltError(e: ErrorJson): Error {
  const err = e.name === 'CaptureError' && e.code !== undefined
    ? new CaptureError(e.code as CaptureError['code'], e.offset ?? 0, e.message)
    : Object.assign(new Error(e.message), { name: e.name });
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}
