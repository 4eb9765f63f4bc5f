/** What the replay thread (replay-worker.ts) and the main thread (replay-thread.ts) tell each other;
 * everything in here survives structured cloning. */
import type { ReplayedFlows } from '../analyze';
import type { DetectOptions } from '../detect/run-detectors';

/** Tags of the connection ring's strings: a connection's record alone (see connection-record.ts); a
 * record whose JSON line is the next string; that line; what the detectors found on the connection whose
 * record is the next string (see found-bytes.ts); the id (a 32-bit word) of a connection whose record
 * went over when it closed and which a later packet changed: its record comes again as it retires. */
export const RECORD = 0;
export const RECORD_WITH_LINE = 1;
export const LINE = 2;
export const FOUND = 3;
export const RETRACTED = 4;

export interface ReplayTask {
  maxConnections: number;
  /** The ring of decoded segments from the main thread (see segment-batch.ts), and the ring of
   * retired connections to it (see byte-ring.ts). */
  segments: SharedArrayBuffer;
  connections: SharedArrayBuffer;
  /** How full the connection ring is (0 to 1) when the main thread starts to count as behind (see
   * MainBehind), and gets the connection's findings and JSON line made here too. */
  behindFill: number;
  /** The main thread spools JSON lines (not records): a line is worth making here. */
  lines: boolean;
  /** A connection's record goes over when it closes, not when it retires (RETRACTED if a packet comes
   * between). */
  recordsAtClose: boolean;
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
