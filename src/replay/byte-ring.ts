/** A ring of byte strings in shared memory, from one thread to another, taken in the order put: the main
 * thread puts batches of decoded segments (see segment-batch.ts) in one ring, the replay thread puts each
 * retired connection's record (see connection-record.ts), and some connections' findings and JSON lines,
 * in another. One writer, one reader. The writer sleeps while the ring is full; the reader waits without
 * blocking its event loop (takeAll), or sleeps (takeAllBlocking, on a thread with nothing else to do). The
 * main thread, writer of one ring and reader of the other, never sleeps on one while the other has work
 * for it (tryPut, takeReady), or the two threads could each wait for the other.
 *
 * The two positions count bytes from the start, modulo 2^32 (the ring's size is a power of two, so the
 * count maps onto it whatever the wrap). A record is a header of two 32-bit words (its length; and
 * whether it ends a string, a string longer than a quarter of the ring going in several records, and the
 * string's tag) and its bytes, padded to 8 bytes (so that a string starts where doubles can be read).
 * A record never wraps: the tail of the ring too short for it is skipped, with a header saying SKIP
 * (every position is a multiple of 8, so a header always fits before the end).
 *
 * Each side wakes the other only when it waits, and not for every string: the writer (by default) once
 * a sixteenth of the ring is written since, the reader once a sixteenth of the ring is free (or the
 * string the writer waits for fits, if it is larger). Woken for every string, the reader spent more time
 * waking than taking (a futex call and a turn of the event loop each, 200,000 times on bench (a)); and
 * when the main thread was the slower, the replay thread slept and was woken for every record it wrote
 * (1.2 s of Atomics.notify on the main thread of bench (b), 500,000 records). */

/** Indexes of the control words. */
const WRITTEN = 0;
const READ = 1;
/** Set by the reader when it gives up (an error on its side): the writer stops waiting and throws. */
const ABANDONED = 2;
/** 1 while the reader waits for strings. */
const READER_WAITS = 3;
/** The bytes of room the writer waits for, 0 when it does not. */
const WRITER_NEEDS = 4;
const CONTROL_WORDS = 8;
const CONTROL_BYTES = CONTROL_WORDS * 4;
/** A record's header. */
export const RING_HEADER_BYTES = 8;
/** Header lengths that are no record: the rest of the ring up to its end is unused; the writer is done. */
const SKIP = -1;
const END = -2;
/** In a header's second word: the record ends its string; the string's tag is in the bits above. */
const LAST = 1;
/** Milliseconds either side waits before it looks again (whether it was told to stop, and the
 * positions: a writer that puts little at a time wakes the reader only this often). */
const POLL_MS = 1000;

export const DEFAULT_RING_BYTES = 8 << 20;

/** Atomics.waitAsync (ES2024, in Node since 16), which the ES2022 library this project compiles
 * against does not declare. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
}).waitAsync;

/** The reader gave up: the writer's thread is to stop. */
export class RingAbandoned extends Error {
  constructor() {
    super('the reader of the byte ring gave up');
    this.name = 'RingAbandoned';
  }
}

/** The shared memory of a ring of `bytes` (a power of two) bytes; pass it to both ends. */
export function newRingMemory(bytes = DEFAULT_RING_BYTES, start = 0): SharedArrayBuffer {
  if (!(Number.isInteger(bytes) && bytes >= 64 && bytes <= 2 ** 30 && (bytes & (bytes - 1)) === 0)) {
    throw new Error(`a byte ring's size must be a power of two from 64 to 2^30, not ${bytes}`);
  }
  const memory = new SharedArrayBuffer(CONTROL_BYTES + bytes);
  // Both positions start at `start` (a multiple of 8; tests start just short of 2^32, to cross it).
  const control = new Int32Array(memory, 0, CONTROL_WORDS);
  control[WRITTEN] = start | 0;
  control[READ] = start | 0;
  return memory;
}

class RingView {
  /** A writer that waits for room is woken once this much is free (see the top). */
  protected readonly wakeRoom: number;
  protected readonly control: Int32Array;
  protected readonly words: Int32Array;
  protected readonly bytes: Buffer;
  protected readonly size: number;
  /** The longest record's bytes: a quarter of the ring, so a record always fits once the reader catches up. */
  protected readonly maxChunk: number;

  constructor(memory: SharedArrayBuffer) {
    this.size = memory.byteLength - CONTROL_BYTES;
    this.control = new Int32Array(memory, 0, CONTROL_WORDS);
    this.words = new Int32Array(memory, CONTROL_BYTES, this.size >> 2);
    this.bytes = Buffer.from(memory, CONTROL_BYTES, this.size);
    this.maxChunk = this.size >> 2;
    this.wakeRoom = this.size >> 4;
  }
}

function padded(bytes: number): number {
  return (bytes + 7) & ~7;
}

export interface RingWriterOptions {
  /** Bytes written between two wakings of a waiting reader (default a sixteenth of the ring). */
  announceEvery?: number;
  /** Called before the writer sleeps for room: this thread may owe another ring's writer a wake-up. */
  beforeWait?: () => void;
}

export class ByteRingWriter extends RingView {
  private written = Atomics.load(this.control, WRITTEN);
  /** Bytes written since the reader was last woken. */
  private unannounced = 0;
  private readonly announceEvery: number;
  private readonly beforeWait: (() => void) | undefined;

  constructor(memory: SharedArrayBuffer, options: RingWriterOptions = {}) {
    super(memory);
    this.announceEvery = options.announceEvery ?? this.size >> 4;
    this.beforeWait = options.beforeWait;
  }

  /** Puts bytes 0 to `length` of `src` (copied: `src` can be reused at once), with a `tag` (0 to 2^30)
   * for the reader. */
  put(src: Uint8Array, length: number, tag = 0): void {
    if (length > src.length) throw new Error(`cannot put ${length} bytes of a buffer of ${src.length}`);
    let from = 0;
    do {
      const chunk = Math.min(length - from, this.maxChunk);
      const at = this.reserve(RING_HEADER_BYTES + chunk);
      this.bytes.set(src.subarray(from, from + chunk), at + RING_HEADER_BYTES);
      this.hand(at, chunk, (tag << 1) | (from + chunk === length ? LAST : 0));
      from += chunk;
    } while (from < length);
  }

  /** The most bytes a string written in place (see claim) can take: a quarter of the ring. */
  get maxClaim(): number {
    return this.maxChunk;
  }

  /** Where a string of `length` bytes (at most maxClaim) is to be written in place, as a byte offset in
   * the ring's memory (a multiple of 8), waiting for room as `put` does; `commit` then hands it over.
   * Saves `put`'s copy where the string's writer can write to any memory (a connection's record). */
  claim(length: number): number {
    if (length > this.maxChunk) throw new Error(`cannot claim ${length} bytes of a ring that takes at most ${this.maxChunk} in one record`);
    return CONTROL_BYTES + this.reserve(RING_HEADER_BYTES + length) + RING_HEADER_BYTES;
  }

  /** Hands over the string of `length` bytes written where `claim(length)` said (nothing put between),
   * with a `tag`. */
  commit(length: number, tag = 0): void {
    // claim's reserve skipped the ring's tail if need be: `written` is where the record starts.
    this.hand(this.written & (this.size - 1), length, (tag << 1) | LAST);
  }

  /** `put`, only when the ring has room for it now (it must fit in one record, a quarter of the ring);
   * false when it has not. For a thread that must not sleep while it has other work (see waitForRoom). */
  tryPut(src: Uint8Array, length: number, tag = 0): boolean {
    if (length > this.maxChunk || !this.hasRoom(RING_HEADER_BYTES + length)) return false;
    this.put(src, length, tag);
    return true;
  }

  /** `end`, only when the ring has room for it now. */
  tryEnd(): boolean {
    if (!this.hasRoom(RING_HEADER_BYTES)) return false;
    this.end();
    return true;
  }

  /** Waits, with the event loop free, until the ring may have room for a string of `length` bytes, at
   * most `ms` milliseconds, or until the reader's wakeWriter. */
  async waitForRoom(length: number, ms: number): Promise<void> {
    const read = this.sleepFor(this.roomFor(RING_HEADER_BYTES + length));
    if (read === null) return;
    const waited = waitAsync(this.control, READ, read, ms);
    if (waited.async) await waited.value;
    Atomics.store(this.control, WRITER_NEEDS, 0);
  }

  /** The reader gave up (see ByteRingReader.abandon). */
  get abandoned(): boolean {
    return Atomics.load(this.control, ABANDONED) !== 0;
  }

  /** How full the ring is, from 0 to 1: above a half, the reader is behind. */
  fill(): number {
    return ((this.written - Atomics.load(this.control, READ)) >>> 0) / this.size;
  }

  /** No more strings: the reader's takeAll ends once it has taken those put. */
  end(): void {
    const at = this.reserve(RING_HEADER_BYTES);
    this.words[at >> 2] = END;
    this.publish(RING_HEADER_BYTES, true);
  }

  /** Where a record of `need` bytes can go, once the reader has made room; the end of the ring too short
   * for it is skipped. */
  private reserve(need: number): number {
    const at = this.written & (this.size - 1);
    const tail = this.size - at;
    while (!this.hasRoom(need)) this.waitOnce(this.roomFor(need), POLL_MS);
    if (tail < need) {
      this.words[at >> 2] = SKIP;
      this.written = (this.written + tail) | 0;
      return 0;
    }
    return at;
  }

  /** Bytes of room a record of `need` bytes takes: the end of the ring too short for it as well. */
  private roomFor(need: number): number {
    const tail = this.size - (this.written & (this.size - 1));
    return tail < need ? tail + need : need;
  }

  private hasRoom(need: number): boolean {
    return this.size - ((this.written - Atomics.load(this.control, READ)) >>> 0) >= this.roomFor(need);
  }

  private waitOnce(room: number, ms: number): void {
    const read = this.sleepFor(room);
    if (read === null) return;
    Atomics.wait(this.control, READ, read, ms);
    Atomics.store(this.control, WRITER_NEEDS, 0);
  }

  /** Before a wait for `room` bytes: null when they are free already; else the read position to wait on,
   * the reader told how much room to wake the writer for. */
  private sleepFor(room: number): number | null {
    const read = Atomics.load(this.control, READ);
    if (this.size - ((this.written - read) >>> 0) >= room) return null;
    if (this.abandoned) throw new RingAbandoned();
    // What is written must reach the reader before this thread sleeps, or both would wait.
    this.announce();
    this.beforeWait?.();
    Atomics.store(this.control, WRITER_NEEDS, Math.max(room, this.wakeRoom));
    if (Atomics.load(this.control, READ) === read) return read;
    Atomics.store(this.control, WRITER_NEEDS, 0);
    return null;
  }

  /** Writes the header of the record of `length` bytes at `at` (its bytes in place), and publishes it. */
  private hand(at: number, length: number, bits: number): void {
    this.words[at >> 2] = length;
    this.words[(at >> 2) + 1] = bits;
    this.publish(RING_HEADER_BYTES + padded(length), false);
  }

  private publish(bytes: number, now: boolean): void {
    this.written = (this.written + bytes) | 0;
    this.unannounced += bytes;
    Atomics.store(this.control, WRITTEN, this.written);
    if (now || this.unannounced >= this.announceEvery) this.announce();
  }

  /** Wakes the reader if it waits. */
  private announce(): void {
    Atomics.store(this.control, WRITTEN, this.written);
    this.unannounced = 0;
    if (Atomics.load(this.control, READER_WAITS) !== 0) Atomics.notify(this.control, WRITTEN);
  }
}

export class ByteRingReader extends RingView {
  private read = Atomics.load(this.control, READ);
  /** Parts of a string longer than a record, until its last. */
  private parts: Buffer[] = [];

  /** Calls `take` with each string and its tag in the order put (its bytes are valid only during the call), until
   * the writer's end(), or until `stopped()` says so (checked whenever the ring is empty). Returns to the
   * event loop every `sliceMs`, so that timers (a progress bar) keep running. */
  async takeAll(take: (bytes: Buffer, tag: number) => void, stopped: () => boolean, sliceMs = 50): Promise<void> {
    let sliceStart = Date.now();
    for (;;) {
      const written = Atomics.load(this.control, WRITTEN);
      if (this.read !== written) {
        while (this.read !== written) {
          if (this.takeOne(take)) return;
          if (Date.now() - sliceStart >= sliceMs) break;
        }
        if (this.read !== written) {
          // takeReady may take some meanwhile: the positions are looked at again after.
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = Date.now();
        }
        continue;
      }
      if (stopped()) return;
      Atomics.store(this.control, READER_WAITS, 1);
      const waited = waitAsync(this.control, WRITTEN, written, POLL_MS);
      if (waited.async) await waited.value;
      Atomics.store(this.control, READER_WAITS, 0);
      sliceStart = Date.now();
    }
  }

  /** takeAll for a thread with nothing else to do (a pending Atomics.waitAsync does not keep a worker's
   * event loop alive): sleeps while the ring is empty, and gives up once `stopped()` says so (checked
   * whenever the ring is empty, at least every POLL_MS). */
  takeAllBlocking(take: (bytes: Buffer, tag: number) => void, stopped: () => boolean): void {
    for (;;) {
      const written = Atomics.load(this.control, WRITTEN);
      while (this.read !== written) if (this.takeOne(take)) return;
      if (stopped()) throw new RingAbandoned();
      Atomics.store(this.control, READER_WAITS, 1);
      Atomics.wait(this.control, WRITTEN, written, POLL_MS);
      Atomics.store(this.control, READER_WAITS, 0);
    }
  }

  /** Takes the strings written by now, as takeAll does, but not the end; false when there was nothing to
   * take. For a thread that also writes another ring, so that it never sleeps on that ring while this
   * one is full (each thread would wait for the other). */
  takeReady(take: (bytes: Buffer, tag: number) => void): boolean {
    const written = Atomics.load(this.control, WRITTEN);
    const from = this.read;
    while (this.read !== written && this.words[(this.read & (this.size - 1)) >> 2] !== END) this.takeOne(take);
    return this.read !== from;
  }

  /** Wakes the writer if it waits for room, to look elsewhere (see RingWriterOptions.beforeWait). */
  wakeWriter(): void {
    Atomics.notify(this.control, READ);
  }

  /** Wakes takeAll if it waits for the ring, to ask stopped() again. */
  wake(): void {
    Atomics.notify(this.control, WRITTEN);
  }

  /** Tells the writer to stop waiting for room (it throws RingAbandoned). */
  abandon(): void {
    Atomics.store(this.control, ABANDONED, 1);
    Atomics.notify(this.control, READ);
  }

  /** Takes the record at the read position; true at the end. */
  private takeOne(take: (bytes: Buffer, tag: number) => void): boolean {
    const at = this.read & (this.size - 1);
    const tail = this.size - at;
    const length = this.words[at >> 2];
    if (length === END) return true;
    if (length === SKIP) {
      this.advance(tail);
      return false;
    }
    const bytes = this.bytes.subarray(at + RING_HEADER_BYTES, at + RING_HEADER_BYTES + length);
    const bits = this.words[(at >> 2) + 1];
    if ((bits & LAST) !== 0) {
      if (this.parts.length === 0) take(bytes, bits >>> 1);
      else {
        this.parts.push(bytes);
        take(Buffer.concat(this.parts), bits >>> 1);
        this.parts = [];
      }
    } else this.parts.push(Buffer.from(bytes));
    this.advance(RING_HEADER_BYTES + padded(length));
    return false;
  }

  private advance(bytes: number): void {
    this.read = (this.read + bytes) | 0;
    Atomics.store(this.control, READ, this.read);
    const needs = Atomics.load(this.control, WRITER_NEEDS);
    if (needs !== 0 && this.size - ((Atomics.load(this.control, WRITTEN) - this.read) >>> 0) >= needs) Atomics.notify(this.control, READ);
  }
}
