/** What the replay thread (replay-worker.ts) and the main thread (replay-thread.ts) tell each other;
 * everything in here survives structured cloning. */
import type { Analysis } from '../analyze';

/** Tags of the ring's strings: a connection's record alone (see connection-record.ts); a record whose
 * JSON line is the next string; that line. */
export const RECORD = 0;
export const RECORD_WITH_LINE = 1;
export const LINE = 2;

export interface ReplayTask {
  file: string;
  maxConnections?: number;
  /** The byte ring's memory (see byte-ring.ts). */
  memory: SharedArrayBuffer;
  /** How full the ring is (0 to 1) when the main thread counts as behind, and gets the lines too. */
  behindFill: number;
}

/** An error of the replay thread, as the main thread rebuilds it. */
export interface ErrorJson {
  name: string;
  message: string;
  stack?: string;
  /** A CaptureError's code and offset. */
  code?: string;
  offset?: number;
}

export type FromReplay =
  | { type: 'progress'; bytes: number; packets: number }
  /** The analysis; its connections were put in the ring, each as its record, as they retired. */
  | { type: 'done'; analysis: Analysis }
  | { type: 'failed'; error: ErrorJson };
