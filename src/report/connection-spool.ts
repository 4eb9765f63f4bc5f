/** Connections written out as they retire, so that a long capture does not hold every view to the end:
 * each connection becomes bytes at once (its JSON line, or its record: see SpoolFormat), and only a few
 * numbers stay in memory. The bytes collect in a run buffer; a full run is sorted by id and appended to a
 * temporary file (unlinked as soon as it is open, so nothing is left behind), written by libuv's thread
 * pool while the next run fills a second buffer. The report reads the lines back in id order, each run
 * read sequentially (a run's connections are in id order), and reads single views back by id. The same
 * file takes the facts' pages not in use (see FactsPages) and the findings made as connections retire
 * (as a TextStore, see FindingList). */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, rmSync, unlinkSync, writev, writeSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FactsTable, factsOf, type ConnectionFacts } from '../detect/connection-facts';
import type { Paging } from '../detect/facts-pages';
import type { TextStore } from '../detect/finding-list';
import { Float64Pages, Uint32Pages } from '../flow/id-pages';
import { connectionCoreOf, connectionViewOf } from '../tcp/connection-record';
import type { ConnectionCore, ConnectionJson } from '../tcp/connection-view';
import { ConnectionLineWriter } from './connection-line';
import type { ConnectionSource } from './connection-source';

/** Bytes collected before they are sorted and written: one write per run, and few runs to read
 * back side by side. The buffer starts small and doubles up to this (a small capture never writes). */
const RUN_BYTES = 16 << 20;
const FIRST_RUN_BYTES = 64 << 10;
/** Bytes of texts (findings) held before they are written, and the buffer's first size. */
const TEXT_BYTES = 1 << 20;
const FIRST_TEXT_BYTES = 16 << 10;
/** Texts in a page of their columns: few captures have many findings. */
const TEXT_PAGE_BITS = 12;
/** Bytes read from a run at a time when the lines are read back. */
const READ_BYTES = 256 << 10;
/** Texts are read back a group at a time (an incident's findings), in the order put, and a group's texts
 * lie side by side in the file (see put), so they are read a block at a time into a few buffers kept for
 * it (fresh memory each time cost more in page faults than the reads saved). */
const TEXT_BLOCK_BYTES = 16 << 10;
const TEXT_BLOCKS = 4;
// The numbers of `sizes`.
const LENGTH = 0;
const RUN = 1;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_CHAR = 3;
/** What follows each line in a spool of lines, as in the JSON report's list: the lines of a run then read
 * back as the report's bytes, many at a time (see jsonList). */
const SEPARATOR = Buffer.from(',\n');

/** The temporary file could not be created or written (a full or read-only TMPDIR): not a bug. */
export class SpoolError extends Error {
  constructor(readonly folder: string, cause: unknown) {
    super(`cannot write the temporary file that holds the connections (set TMPDIR to another folder): ${(cause as Error).message}`);
    this.name = 'SpoolError';
  }
}

/** Bytes `start` to `end` of the file, at the head of `bytes`. */
interface TextBlock {
  start: number;
  end: number;
  bytes: Buffer;
}

interface Run {
  /** Where the run starts and ends in the file. */
  offset: number;
  end: number;
  /** The bytes read ahead, and where they are in the file. A run's connections are read back in id
   * order, as they lie in it (the bytes of a connection taken back, see forget, are skipped). */
  buf: Buffer | null;
  bufStart: number;
  bufEnd: number;
}

/** What the spool keeps of each connection. Its JSON line, made as it retires, when the report is written
 * as JSON: the lines are then copied out as they are, separators and all, and on two threads most were
 * made while the capture was read (see replay-thread.ts). Otherwise its record (see connection-record.ts):
 * under a third of the bytes of the line, and no line is written for the few views asked for by id
 * (bench (a) spent 1.3-1.9 s writing lines the terminal report never read). Either way jsonList gives
 * the same bytes, view the same views. */
export type SpoolFormat = 'lines' | 'records';

export interface SpoolOptions {
  format?: SpoolFormat;
  /** Where the temporary file goes. */
  folder?: string;
  /** Bytes held before a run is written, and bytes read ahead in a run when lines are read back (tests
   * make them small). */
  runBytes?: number;
  readBytes?: number;
  /** The facts' pages (tests make them small). */
  factsPaging?: Paging;
}

export class ConnectionSpool implements ConnectionSource, TextStore {
  /** Every connection's facts, taken as its view is spooled; the pages not in use go to the file too. */
  private readonly table: FactsTable;
  private fd: number | null = null;
  private fileBytes = 0;
  private runs: Run[] = [];
  readonly format: SpoolFormat;
  private readonly folder: string;
  private readonly runBytes: number;
  private readonly readBytes: number;
  /** Per id: its bytes' offset in the file (or, while its run is still in memory, -1 - their offset in
   * the run buffer). */
  private readonly where = new Float64Pages();
  /** Per id: its bytes' length (LENGTH; a line's separator included) and the run they are in (RUN). */
  private readonly sizes = new Uint32Pages(2);
  private readonly lines = new ConnectionLineWriter();
  private run = Buffer.allocUnsafe(FIRST_RUN_BYTES);
  private runUsed = 0;
  private runIds: number[] = [];
  /** The run being written in the background (see writeRun), if any. */
  private writing: Promise<void> | null = null;
  /** The buffer of the last run written in the background, once that write is done (null while it is
   * going on): the next run to fill. */
  private spare: typeof this.run | null = null;
  /** Why the background write failed, thrown by the next call. */
  private failure: SpoolError | null = null;
  /** Texts put (findings): like lines, in memory (where < 0) until the buffer is full, then in the file;
   * numbered in the order put, and written grouped by the group they were put with (see put). */
  private readonly textWhere = new Float64Pages(1, TEXT_PAGE_BITS);
  private readonly textLengths = new Uint32Pages(1, TEXT_PAGE_BITS);
  private texts = Buffer.allocUnsafe(0);
  /** The texts of `texts` in the order they are written (see writeTexts). */
  private textsSorted = Buffer.allocUnsafe(0);
  private textsUsed = 0;
  private textCount = 0;
  /** The first text in `texts`, and the group of each text there. */
  private textsFirst = 0;
  private textGroups: number[] = [];
  /** Blocks of the file read for texts, the oldest replaced first. A text's bytes are never written
   * again once in the file, so a block never goes stale for the texts it holds. */
  private textBlocks: TextBlock[] = [];
  private nextTextBlock = 0;
  private closed = false;

  constructor({ format = 'lines', folder = tmpdir(), runBytes = RUN_BYTES, readBytes = READ_BYTES, factsPaging }: SpoolOptions = {}) {
    this.format = format;
    this.folder = folder;
    this.runBytes = runBytes;
    this.readBytes = readBytes;
    this.table = new FactsTable({
      writePage: (bytes, offset) => {
        const at = offset ?? this.fileBytes;
        if (offset === null) this.fileBytes += bytes.length;
        this.write([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)], at);
        return at;
      },
      readPage: (into, offset) => this.readFully(Buffer.from(into.buffer, into.byteOffset, into.length), into.length, offset),
    }, factsPaging);
  }

  get count(): number {
    return this.table.length;
  }

  /** Every connection's facts, in id order (a new array each time). */
  get facts(): readonly ConnectionFacts[] {
    return this.table.all();
  }

  get ids(): Uint32Array {
    return this.table.ids();
  }

  factsAt(id: number): ConnectionFacts {
    return this.table.at(id);
  }

  /** Takes connection `view.id` (each id once, in any order, unless taken back: see forget) and `kept`,
   * its bytes in the spool's format, taken as they are: its record (required), or its JSON line when made
   * already (on the replay thread; otherwise written here from the view). */
  add(view: ConnectionCore, kept?: Uint8Array): void {
    this.checkOpen();
    const { id } = view;
    if (kept === undefined && this.format === 'records') throw new Error(`connection #${id} came to a spool of records without its record`);
    // A line is written into the run where it goes, unless it does not fit there.
    const made = kept === undefined ? this.lines.writeAt(view, this.run, this.runUsed) : kept.length;
    this.table.add(factsOf(view));
    const bytes = this.format === 'lines' ? made + SEPARATOR.length : made;
    if (this.runUsed + bytes > this.run.length) {
      if (this.run.length < this.runBytes) this.run = grown(this.run, this.runUsed, Math.max(this.run.length * 2, this.runUsed + bytes));
      else this.writeRun();
      if (bytes > this.run.length) this.run = Buffer.allocUnsafe(bytes);
    }
    this.where.ensure(id);
    this.sizes.ensure(id);
    if (kept !== undefined) this.run.set(kept, this.runUsed);
    else if (this.lines.bytes !== this.run || this.lines.start !== this.runUsed) this.lines.bytes.copy(this.run, this.runUsed, this.lines.start, this.lines.start + made);
    if (this.format === 'lines') SEPARATOR.copy(this.run, this.runUsed + made);
    this.where.set(id, 0, -1 - this.runUsed);
    this.sizes.set(id, LENGTH, bytes);
    this.sizes.set(id, RUN, this.runs.length);
    this.runIds.push(id);
    this.runUsed += bytes;
  }

  /** Takes connection `id` back (its facts and its bytes), so that it can be added again: a connection
   * spooled when it closed, before a later packet changed it (see replay-thread.ts). Its bytes stay
   * where they are, never read. */
  forget(id: number): void {
    this.checkOpen();
    this.table.forget(id);
    if (this.where.get(id) < 0) this.runIds.splice(this.runIds.lastIndexOf(id), 1);
  }

  /** Once no more connections come: the facts of every connection stay in memory if they take at most
   * `bytes` (see FactsPages.keepAllWithin). */
  keepFactsWithin(bytes: number): void {
    this.table.keepAllWithin(bytes);
  }

  /** Resolves once the run written in the background is in the file (rejects if it could not be written):
   * connections are read back only after that. */
  async settled(): Promise<void> {
    await this.writing;
    this.checkOpen();
  }

  /** Texts of one `group` are written side by side when the buffer is, in the order put: they are read
   * back together (findings of one incident are put interleaved with other incidents'). */
  put(text: string | Uint8Array, group = 0): number {
    this.checkOpen();
    const room = typeof text === 'string' ? text.length * MAX_UTF8_PER_CHAR : text.length;
    if (this.textsUsed + room > this.texts.length) {
      if (this.texts.length < TEXT_BYTES) this.texts = grown(this.texts, this.textsUsed, Math.max(this.texts.length * 2, FIRST_TEXT_BYTES, this.textsUsed + room));
      else this.writeTexts();
      if (room > this.texts.length) this.texts = Buffer.allocUnsafe(room);
    }
    const handle = this.textCount++;
    this.textGroups.push(group);
    this.textWhere.ensure(handle);
    this.textLengths.ensure(handle);
    let bytes = text.length;
    if (typeof text === 'string') bytes = this.texts.write(text, this.textsUsed);
    else this.texts.set(text, this.textsUsed);
    this.textWhere.set(handle, 0, -1 - this.textsUsed);
    this.textLengths.set(handle, 0, bytes);
    this.textsUsed += bytes;
    return handle;
  }

  get(handle: number): string {
    this.checkOpen();
    if (!(handle >= 0 && handle < this.textCount)) throw new Error(`no text #${handle} in the spool`);
    const at = this.textWhere.get(handle);
    const len = this.textLengths.get(handle);
    if (at < 0) return this.texts.toString('utf8', -1 - at, -1 - at + len);
    if (len > TEXT_BLOCK_BYTES) {
      const buf = Buffer.allocUnsafe(len);
      this.readFully(buf, len, at);
      return buf.toString('utf8');
    }
    const block = this.textBlockAt(at, len);
    return block.bytes.toString('utf8', at - block.start, at - block.start + len);
  }

  /** A block of the file holding bytes `at` to `at + len` (len at most TEXT_BLOCK_BYTES). */
  private textBlockAt(at: number, len: number): TextBlock {
    for (const block of this.textBlocks) if (block.start <= at && at + len <= block.end) return block;
    if (this.textBlocks.length < TEXT_BLOCKS) this.textBlocks.push({ start: 0, end: 0, bytes: Buffer.allocUnsafeSlow(TEXT_BLOCK_BYTES) });
    const block = this.textBlocks[this.nextTextBlock];
    this.nextTextBlock = (this.nextTextBlock + 1) % TEXT_BLOCKS;
    const want = Math.min(TEXT_BLOCK_BYTES, this.fileBytes - at);
    this.readFully(block.bytes, want, at);
    block.start = at;
    block.end = at + want;
    return block;
  }

  view(id: number): ConnectionJson | undefined {
    this.checkOpen();
    if (!this.table.has(id)) return undefined;
    const bytes = this.bytesOf(id);
    return this.format === 'records' ? connectionViewOf(bytes) : JSON.parse(bytes.toString('utf8', 0, bytes.length - SEPARATOR.length)) as ConnectionJson;
  }

  /** Every connection's JSON line in id order, joined by ",\n", in pieces that make those bytes one after
   * the other, each valid until the next is asked for. A piece holds as many lines as lie side by side in
   * a run's read-ahead buffer, or in the run still in memory (so the output never waits on a write to the
   * temporary file). Bench (a)'s 211,882 lines (511 MB) handed over one at a time, and a separator
   * between each two, took 545 ms to write to a file against 475 ms (medians of 16 writes each, alternated
   * runs). Each pass starts afresh. */
  *jsonList(): Generator<Buffer> {
    this.checkOpen();
    try {
      if (this.format === 'records') {
        yield* this.linesOfRecords();
        return;
      }
      /** The piece so far: bytes `start` to `end` of `memory` (none while `memory` is null). */
      let memory: ArrayBufferLike | null = null;
      let start = 0;
      let end = 0;
      for (let id = 0; id < this.table.length; id++) {
        this.checkSpooled(id);
        const len = this.sizes.get(id, LENGTH);
        const at = this.where.get(id);
        const run = at < 0 ? null : this.runs[this.sizes.get(id, RUN)];
        // A read refills a buffer the piece may lie in.
        if (run !== null && this.mustRead(run, at, len) && memory !== null) {
          yield Buffer.from(memory, start, end - start);
          memory = null;
        }
        const bytes = run === null ? this.bytesOf(id) : this.nextOf(run, at, len);
        if (bytes.buffer === memory && bytes.byteOffset === end) {
          end += len;
        } else {
          if (memory !== null) yield Buffer.from(memory, start, end - start);
          memory = bytes.buffer;
          start = bytes.byteOffset;
          end = start + len;
        }
      }
      // The last line has no separator after it.
      if (memory !== null) yield Buffer.from(memory, start, end - start - SEPARATOR.length);
    } finally {
      for (const run of this.runs) run.buf = null;
    }
  }

  /** jsonList for a spool of records: each line made from its record. */
  private *linesOfRecords(): Generator<Buffer> {
    for (let id = 0; id < this.table.length; id++) {
      this.checkSpooled(id);
      if (id > 0) yield SEPARATOR;
      const at = this.where.get(id);
      const bytes = at < 0 ? this.bytesOf(id) : this.nextOf(this.runs[this.sizes.get(id, RUN)], at, this.sizes.get(id, LENGTH));
      // Length first: write may replace its buffer with a larger one.
      const length = this.lines.write(connectionCoreOf(bytes));
      yield this.lines.bytes.subarray(0, length);
    }
  }

  all(): ConnectionJson[] {
    const views: ConnectionJson[] = [];
    for (let id = 0; id < this.table.length; id++) {
      const view = this.view(id);
      if (view) views.push(view);
    }
    return views;
  }

  toJSON(): ConnectionJson[] {
    return this.all();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A write still going on closes the file when it is done: closed now, its number could be another
    // file's by then.
    if (this.writing === null) this.closeFile();
    this.runs = [];
    this.texts = Buffer.allocUnsafe(0);
    this.textsSorted = Buffer.allocUnsafe(0);
    this.textBlocks = [];
  }

  /** Connection `id`'s bytes (a copy when read from the file). */
  private bytesOf(id: number): Buffer {
    const at = this.where.get(id);
    const len = this.sizes.get(id, LENGTH);
    if (at < 0) return this.run.subarray(-1 - at, -1 - at + len);
    this.checkSettled();
    const buf = Buffer.allocUnsafe(len);
    this.readFully(buf, len, at);
    return buf;
  }

  private checkSpooled(id: number): void {
    if (!this.table.has(id)) throw new Error(`connection #${id} was never spooled`);
  }

  /** Whether the run's bytes `at` to `at + len` are not in its read-ahead buffer. */
  private mustRead(run: Run, at: number, len: number): boolean {
    return run.buf === null || at < run.bufStart || at + len > run.bufEnd;
  }

  /** The run's bytes `at` to `at + len`, the next connection's, read ahead from there when they are not in
   * the run's read-ahead buffer (valid until the next call). */
  private nextOf(run: Run, at: number, len: number): Buffer {
    let buf = run.buf;
    if (buf === null || this.mustRead(run, at, len)) {
      this.checkSettled();
      const size = Math.max(this.readBytes, len);
      if (buf === null || buf.length < size) buf = run.buf = Buffer.allocUnsafe(size);
      const want = Math.min(size, run.end - at);
      this.readFully(buf, want, at);
      run.bufStart = at;
      run.bufEnd = at + want;
    }
    const from = at - run.bufStart;
    // A run read to its end needs its buffer no more (a big spool has hundreds of runs).
    if (at + len === run.end) run.buf = null;
    return buf.subarray(from, from + len);
  }

  /** Appends the run's connections to the file sorted by id, gathered straight from the run buffer (a copy
   * would touch 16 MiB of fresh memory per run, which costs more than the write). In the background, while
   * the next run fills the spare buffer, unless the last run is still being written. */
  private writeRun(): void {
    if (this.runUsed === 0) return;
    const ids = this.runIds.sort((a, b) => a - b);
    const offset = this.fileBytes;
    const pieces: Buffer[] = [];
    let used = 0;
    for (const id of ids) {
      const from = -1 - this.where.get(id);
      const len = this.sizes.get(id, LENGTH);
      pieces.push(this.run.subarray(from, from + len));
      this.where.set(id, 0, offset + used);
      used += len;
    }
    if (this.writing === null) {
      const fd = this.openFile();
      const full = this.run;
      this.run = this.spare ?? Buffer.allocUnsafe(full.length);
      this.spare = null;
      this.writing = this.writeInBackground(fd, pieces, offset).then(() => {
        this.spare = full;
      }, (err: unknown) => {
        this.failure = new SpoolError(this.folder, err);
      }).finally(() => {
        this.writing = null;
        // Nobody awaits a closed spool: a failing close (a deferred error on NFS) must not be an
        // unhandled rejection.
        if (this.closed) {
          try {
            this.closeFile();
          } catch {
            this.fd = null;
          }
        }
      });
    } else {
      this.write(pieces, offset);
    }
    this.runs.push({ offset, end: offset + used, buf: null, bufStart: offset, bufEnd: offset });
    this.fileBytes += used;
    this.runUsed = 0;
    this.runIds = [];
  }

  /** One writev for the whole run: libuv writes its pieces IOV_MAX at a time in its thread pool. Batches
   * of IOV_MAX here cost a trip through this thread's event loop each, which a busy main thread takes
   * only between slices of work: on bench (a), runs took 80-440 ms to write, and 17 of 28 were then
   * written synchronously because the one before was still going. */
  private async writeInBackground(fd: number, pieces: Buffer[], position: number): Promise<void> {
    const written = await new Promise<number>((resolve, reject) => {
      writev(fd, pieces, position, (err, n) => (err ? reject(err) : resolve(n)));
    });
    if (written < byteLength(pieces)) writeRest(fd, pieces, written, position);
  }

  private closeFile(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Appends the texts in memory to the file, grouped by the group they were put with (in the order put
   * within a group), so that a group's texts lie side by side. */
  private writeTexts(): void {
    if (this.textsUsed === 0) return;
    const offset = this.fileBytes;
    const groups = this.textGroups;
    const order = groups.map((_, i) => i).sort((a, b) => groups[a] - groups[b] || a - b);
    // Copied in that order and written at once: a writev of a piece per text took ten times as long.
    if (this.textsSorted.length < this.textsUsed) this.textsSorted = Buffer.allocUnsafe(this.texts.length);
    let used = 0;
    for (const i of order) {
      const handle = this.textsFirst + i;
      const from = -1 - this.textWhere.get(handle);
      const len = this.textLengths.get(handle);
      this.texts.copy(this.textsSorted, used, from, from + len);
      this.textWhere.set(handle, 0, offset + used);
      used += len;
    }
    this.write([this.textsSorted.subarray(0, used)], offset);
    this.fileBytes += this.textsUsed;
    this.textsUsed = 0;
    this.textsFirst = this.textCount;
    this.textGroups = [];
  }

  private openFile(): number {
    try {
      return this.fd ??= openUnlinked(this.folder);
    } catch (err) {
      throw new SpoolError(this.folder, err);
    }
  }

  private write(pieces: Buffer[], position: number): void {
    const fd = this.openFile();
    try {
      const written = writevSync(fd, pieces, position);
      // A short write (a full disk's last bytes) is finished piece by piece.
      if (written < byteLength(pieces)) writeRest(fd, pieces, written, position);
    } catch (err) {
      throw new SpoolError(this.folder, err);
    }
  }

  private readFully(into: Buffer, len: number, position: number): void {
    this.checkOpen();
    const fd = this.fd;
    if (fd === null) throw new Error(`the connection spool has no file to read byte ${position} from`);
    try {
      for (let done = 0; done < len;) {
        const n = readSync(fd, into, done, len - done, position + done);
        if (n === 0) throw new Error(`the temporary file ends at byte ${position + done}, before byte ${position + len}`);
        done += n;
      }
    } catch (err) {
      throw new SpoolError(this.folder, err);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the connection spool was closed');
    if (this.failure !== null) throw this.failure;
  }

  /** The file is read only once the run written in the background is there (see settled). */
  private checkSettled(): void {
    if (this.writing !== null) throw new Error('a connection was read back before the spool settled');
  }
}

/** Finishes a short write of `pieces` at `position` (a full disk's last bytes), piece by piece, from byte
 * `written` on. */
function writeRest(fd: number, pieces: Buffer[], written: number, position: number): void {
  let at = 0;
  for (const piece of pieces) {
    for (let done = Math.max(0, written - at); done < piece.length;) done += writeSync(fd, piece, done, piece.length - done, position + at + done);
    at += piece.length;
  }
}

function byteLength(pieces: readonly Buffer[]): number {
  let bytes = 0;
  for (const piece of pieces) bytes += piece.length;
  return bytes;
}

/** A buffer of `size` bytes holding the first `used` bytes of `buf`. */
function grown(buf: Buffer, used: number, size: number): ReturnType<typeof Buffer.allocUnsafe> {
  const next = Buffer.allocUnsafe(size);
  buf.copy(next, 0, 0, used);
  return next;
}

/** A new temporary file, already unlinked: it disappears when closed, or when the process ends. Nothing
 * is left behind if a step fails. */
function openUnlinked(folder: string): number {
  const dir = mkdtempSync(join(folder, 'tcpteardown-'));
  const file = join(dir, 'connections.jsonl');
  let fd: number | null = null;
  try {
    fd = openSync(file, 'w+', 0o600);
    unlinkSync(file);
    rmdirSync(dir);
    return fd;
  } catch (err) {
    if (fd !== null) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
