/** What the replay thread (replay-worker.ts) and the main thread (replay-thread.ts) tell each other;
 * everything in here survives structured cloning. */
import type { ReplayedFlows } from '../analyze';
import type { DetectOptions } from '../detect/run-detectors';

/** Tags of the connection ring's strings: a connection's record alone (see connection-record.ts); a
 * record whose JSON line is the next string; that line; what the detectors found on the connection whose
 * record is the next string (see found-bytes.ts). */
export const RECORD = 0;
export const RECORD_WITH_LINE = 1;
export const LINE = 2;
export const FOUND = 3;

export interface ReplayTask {
  maxConnections: number;
  /** The ring of decoded segments from the main thread (see segment-batch.ts), and the ring of
   * retired connections to it (see byte-ring.ts). */
  segments: SharedArrayBuffer;
  connections: SharedArrayBuffer;
  /** How full the connection ring is (0 to 1) when the main thread counts as behind, and gets the
   * connection's findings and JSON line made here too. */
  behindFill: number;
  /** The main thread spools JSON lines (not records): a line is worth making here. */
  lines: boolean;
  /** The detectors to run on a connection when the main thread is behind (none: it runs them all). */
  detect?: DetectOptions;
}

/** An error of the replay thread, as the main thread rebuilds it. */
export interface ErrorJson {
  name: string;
  message: string;
  stack?: string;
}

export type FromReplay =
  /** The segments ended; every connection was put in the ring, as its record, as it retired. */
  | { type: 'done'; flows: ReplayedFlows }
  | { type: 'failed'; error: ErrorJson };
