/** The replay of a capture on a thread of its own (replay-worker.ts). This thread reads and decodes the
 * capture and hands each TCP segment over (see segment-batch.ts); the replay thread runs the flow table
 * and the TCP replay, and hands each connection's record back as it retires, or already when it closes
 * (see retract; connection-record.ts); this thread meanwhile makes each connection's view, runs the
 * detectors on it and spools it (its JSON line or its record, see SpoolFormat; its facts). When this
 * thread falls behind (at the end of a capture, every connection still held retires at once), the replay
 * thread runs the detectors and makes the JSON lines too. Both hand-overs are rings in shared memory (see byte-ring.ts). */
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { DecodedCapture, DEFAULT_MAX_CONNECTIONS, type Analysis, type ReplayedFlows } from '../analyze';
import { readCapture } from '../capture/read-capture';
import type { CaptureSink } from '../capture/record';
import type { DetectOptions } from '../detect/run-detectors';
import { connectionCoreOf } from '../tcp/connection-record';
import type { ConnectionCore } from '../tcp/connection-view';
import { ByteRingReader, ByteRingWriter, newRingMemory, RING_HEADER_BYTES, RingAbandoned } from './byte-ring';
import { FOUND, RECORD, RECORD_WITH_LINE, RETRACTED, type ErrorJson, type FromReplay, type ReplayTask } from './replay-messages';
import { SegmentBatchWriter } from './segment-batch';

const WORKER_SCRIPT = join(__dirname, 'replay-worker.js');

export interface ThreadReplayOptions {
  maxConnections?: number;
  onProgress?: (bytesRead: number, packets: number) => void;
  /** The connection ring's size in bytes, a power of two (tests make it small). */
  ringBytes?: number;
  /** The segment ring's size in bytes, a power of two (tests make it small). */
  segmentRingBytes?: number;
  /** How full the connection ring is when the main thread starts to count as behind, until the ring is
   * nearly empty again (see MainBehind; default a half; tests take 0 or more than 1, to have every line
   * and finding made on one thread or the other). */
  behindFill?: number;
  /** The connection-scope detectors, run on the replay thread when this one is behind; `found` gets what
   * they found on a connection (see found-bytes.ts; the bytes are valid only during the call) before the
   * connection goes to `take`. Without them, `take` runs them all. */
  retirement?: { detect: DetectOptions; found: (bytes: Buffer) => void };
  /** Each connection's record goes to `take` with its view, and no JSON line is made (see SpoolFormat). */
  records?: boolean;
  /** With it, a connection that is over goes to `take` when it closes (its findings and line made on the
   * replay thread while this thread is behind), not when it retires: it is held RETIRE_CLOSED_S of
   * capture time first, so a capture shorter than that would hand nearly all over at its end, while this
   * thread idled until then. Only a late packet can change it in between: `retract` then gets its id, and
   * `take` gets it again as it retires. */
  retract?: (id: number) => void;
  /** The replay thread's script (tests put one that fails in its place). */
  workerScript?: string;
}

const BEHIND_FILL = 0.5;
/** Some 100,000 segments: half a second of the replay thread's work, for when this thread is busy with
 * connections. */
const SEGMENT_RING_BYTES = 8 << 20;
/** The replay thread's young generation: its objects (a connection's, kept 120 s of capture time) nearly
 * all outlive it anyway. V8's default let it grow to some 35 MB more peak memory on bench (a), for no
 * speed measured (5 alternated pairs each way, 8.98 against 9.18 s median). */
const REPLAY_YOUNG_GENERATION_MB = 8;
/** Longest sleep while the segment ring is full, before connections are looked for again (the replay
 * thread wakes this one sooner when it has some; see RingWriterOptions.beforeWait). */
const WAIT_FOR_ROOM_MS = 20;

/** Replays `input` with a replay thread; `take` gets each connection's view as it retires (or closes, see
 * options.retract), in that order, with its record (options.records) or else its JSON line when the
 * replay thread made it (valid only during the call), and whether the replay thread ran the detectors on
 * it (see options.retirement). Rejects with the first error of either thread: a CaptureError when the
 * input is no capture, `take`'s own. */
export async function replayOnThread(
  input: string | NodeJS.ReadableStream, options: ThreadReplayOptions, take: (view: ConnectionCore, kept: Buffer | undefined, detected: boolean) => void,
): Promise<Analysis> {
  const records = options.records === true;
  const segmentRingBytes = options.segmentRingBytes ?? SEGMENT_RING_BYTES;
  const segmentMemory = newRingMemory(segmentRingBytes);
  const connectionMemory = newRingMemory(options.ringBytes);
  // A batch goes in one record: a quarter of the ring, its header taken off.
  const batchBytes = segmentRingBytes / 4 - RING_HEADER_BYTES;
  let batch = new SegmentBatchWriter(batchBytes);
  /** Full batches not yet in the ring, oldest first, and batches to fill again. */
  const pending: SegmentBatchWriter[] = [];
  const spare: SegmentBatchWriter[] = [];
  // Every batch announced at once: the replay thread waiting for segments has nothing else to do.
  const segments = new ByteRingWriter(segmentMemory, { announceEvery: 0 });
  const connections = new ByteRingReader(connectionMemory);
  const task: ReplayTask = {
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    segments: segmentMemory, connections: connectionMemory,
    behindFill: options.behindFill ?? BEHIND_FILL,
    // With records, the main thread makes no line to be helped with.
    lines: !records,
    recordsAtClose: options.retract !== undefined,
    detect: options.retirement?.detect,
  };
  const worker = new Worker(options.workerScript ?? WORKER_SCRIPT, { workerData: task, resourceLimits: { maxYoungGenerationSizeMb: REPLAY_YOUNG_GENERATION_MB } });
  let replayed: ReplayedFlows | null = null;
  /** The first error of either thread: each stops once it sees one. */
  let failure: Error | null = null;
  let failed: (err: Error) => void = () => {};
  const failing = new Promise<never>((_resolve, reject) => { failed = reject; });
  failing.catch(() => {});
  const fail = (err: Error): void => {
    if (failure !== null) return;
    failure = err;
    connections.wake();
    failed(err);
    // A stream (a pipe from tcpdump) may not send its next chunk for long: reading it ends now.
    if (typeof input !== 'string') (input as Partial<Readable>).destroy?.();
  };
  const settled = new Promise<void>((resolve) => {
    worker.on('message', (msg: FromReplay) => {
      if (msg.type === 'done') replayed = msg.flows;
      else fail(rebuiltError(msg.error));
      connections.wake();
      resolve();
    });
    worker.on('error', (err) => { fail(err); resolve(); });
    worker.on('exit', (code) => {
      if (replayed === null) fail(new Error(`the replay thread stopped (exit code ${code}) before it was done`));
      resolve();
    });
  });

  let waiting: ConnectionCore | null = null;
  /** The connection to be taken next had its detectors run on the replay thread. */
  let detected = false;
  const taken = (view: ConnectionCore, kept: Buffer | undefined): void => {
    take(view, kept, detected);
    detected = false;
  };
  const takeConnection = (bytes: Buffer, tag: number): void => {
    // After a failure, nothing more reaches `take`: the caller is unwinding.
    if (failure !== null) return;
    try {
      if (tag === RECORD) taken(connectionCoreOf(bytes), records ? bytes : undefined);
      else if (tag === RECORD_WITH_LINE) waiting = connectionCoreOf(bytes);
      else if (tag === RETRACTED) options.retract?.(bytes.readUInt32LE(0));
      else if (tag === FOUND) {
        options.retirement?.found(bytes);
        detected = true;
      } else if (waiting !== null) {
        taken(waiting, bytes);
        waiting = null;
      }
    } catch (err) {
      fail(err as Error);
      throw err;
    }
  };
  /** Puts the pending batches in the segment ring, as many as there is room for; true when none is left. */
  const flush = (): boolean => {
    for (let next = pending[0]; next !== undefined && segments.tryPut(next.bytes, next.length); next = pending[0]) {
      next.length = 0;
      spare.push(pending.shift() as SegmentBatchWriter);
    }
    return pending.length === 0;
  };
  /** Waits until `put` fits in the segment ring, the event loop free (the replay thread's exit is an event);
   * meanwhile takes the connections waiting, so that neither thread waits for the other at once. */
  const hand = async (put: () => boolean, length: () => number): Promise<void> => {
    while (!put()) {
      if (failure !== null) throw failure;
      if (!connections.takeReady(takeConnection)) await segments.waitForRoom(length(), WAIT_FOR_ROOM_MS).catch(onAbandoned);
    }
  };
  const handPending = (): Promise<void> => hand(flush, () => pending[0]?.length ?? 0);
  /** The replay thread failed and gave up its end of the segment ring: its own error comes as a message. */
  const onAbandoned = (err: unknown): Promise<void> => (err instanceof RingAbandoned ? failing : Promise.reject(err));
  const decoded = new DecodedCapture();
  const sink: CaptureSink = {
    ...decoded.sink((pkt, at, frame, wireLen) => {
      if (batch.full) {
        if (failure !== null) throw failure;
        pending.push(batch);
        flush();
        batch = spare.pop() ?? new SegmentBatchWriter(batchBytes);
      }
      batch.add(pkt, at, frame, wireLen);
    }, options.onProgress),
    // The batches of a chunk of input wait here while the ring is full: a chunk's worth at most.
    chunkDone: handPending,
  };

  try {
    // Connections are taken until the replay thread's last, or until either thread fails.
    const [read] = await Promise.race([failing, Promise.all([
      readCapture(input, sink).then(async (result) => {
        if (batch.length > 0) pending.push(batch);
        await handPending();
        await hand(() => segments.tryEnd(), () => 0);
        return result;
      }).catch((err: unknown) => {
        fail(err as Error);
        return null;
      }),
      connections.takeAll(takeConnection, () => failure !== null).catch((err: unknown) => { fail(err as Error); }),
    ])]);
    await Promise.race([failing, settled]);
    if (read === null || replayed === null) throw failure ?? new Error('the replay thread gave no result');
    return decoded.analysis(read, replayed);
  } catch (err) {
    connections.abandon();
    throw failure ?? err;
  } finally {
    void worker.terminate();
  }
}

function rebuiltError(e: ErrorJson): Error {
  const err = Object.assign(new Error(e.message), { name: e.name });
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}
