import { Delivery, type FormatReader } from './delivery';
import { GzipError, InputError, inputChunks, type ByteCounter } from './input-chunks';
import { PcapReader } from './pcap/pcap-reader';
import { PcapngReader } from './pcapng/pcapng-reader';
import { CaptureError, type CaptureInfo, type CaptureResult, type CaptureSink } from './record';
import { sniffInput, startsWith } from './sniff-input';

export interface ReadCaptureOptions {
  /** Largest pcap record or pcapng block accepted, in bytes (default 16 MiB): bounds memory on lying lengths. */
  maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Streams a capture (a file path or a byte stream; gzip, pcap or pcapng, told apart by their first
 * bytes) into `sink`. Damage inside the capture becomes sink.issue calls and `damaged`; only input that
 * cannot be read as a capture at all rejects, always with a CaptureError. Exceptions thrown by the
 * sink propagate unchanged.
 */
export async function readCapture(
  input: string | NodeJS.ReadableStream,
  sink: CaptureSink,
  options: ReadCaptureOptions = {},
): Promise<CaptureResult> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const raw: ByteCounter = { bytes: 0 };
  // The readers copy what they keep of a chunk (see ByteGatherer), and gunzip copies what it is given.
  const source: Source = { chunks: inputChunks(input, raw, true) };
  try {
    const opened = await open(source);
    const out = new Delivery(sink, opened.info);
    const reader: FormatReader = opened.reader(out, maxRecordBytes);
    const bytes = await pump(opened.head, source.chunks, reader, out, () => sink.progress?.(raw.bytes), sink.chunkDone?.bind(sink));
    out.finish();
    return { info: out.info, records: out.records, bytes, damaged: out.damaged };
  } finally {
    // Closing the outermost generator closes the gunzip pipeline and the input stream under it.
    await source.chunks.return(undefined);
  }
}

/** The chunks to read; open() swaps in the decompressed ones when it finds gzip. */
interface Source {
  chunks: AsyncGenerator<Buffer>;
}

interface Opened {
  head: Buffer;
  info: CaptureInfo;
  reader(out: Delivery, maxRecordBytes: number): FormatReader;
}

/** Sniffs the first bytes (again after gunzip) and picks the reader. */
async function open(source: Source): Promise<Opened> {
  const sniffed = await beforeFormat(sniffInput(source));
  const { head, kind, gzip } = sniffed;
  if (head.length === 0) throw new CaptureError('empty', 0, gzip ? 'empty input: the gzip data decompresses to nothing' : 'empty input');
  if (kind.kind === 'pcap') {
    const { byteOrder, nanos } = kind;
    const info: CaptureInfo = { format: nanos ? 'pcap-nsec' : 'pcap', byteOrder, gzip, linkTypes: [], sections: 1 };
    return { head, info, reader: (out, max) => new PcapReader(out, max, byteOrder, nanos) };
  }
  if (kind.kind === 'pcapng') {
    // Byte order and sections are filled in by the reader as section headers arrive.
    const info: CaptureInfo = { format: 'pcapng', byteOrder: 'LE', gzip, linkTypes: [], sections: 0 };
    return { head, info, reader: (out, max) => new PcapngReader(out, max) };
  }
  throw new CaptureError('not-a-capture', 0, `not a capture file: ${startsWith(sniffed)} (expected pcap, pcapng or gzip)`);
}

/** Feeds the reader until the input ends or the reader stops; returns the bytes it read.
 * Input and gzip failures after this point are damage: what was read before them stands. */
async function pump(
  head: Buffer,
  chunks: AsyncGenerator<Buffer>,
  reader: FormatReader,
  out: Delivery,
  progress: () => void,
  chunkDone: (() => Promise<void>) | undefined,
): Promise<number> {
  let chunk = head;
  for (;;) {
    const more = reader.push(chunk);
    if (chunkDone) await chunkDone();
    if (!more) break;
    progress();
    let step: IteratorResult<Buffer>;
    try {
      step = await chunks.next();
    } catch (err) {
      const at = reader.bytes;
      if (err instanceof InputError) {
        out.issue('read-error', at, `${err.message} (after ${at} bytes)`, out.lastFrame);
      } else if (err instanceof GzipError) {
        out.issue('gzip-error', at, `gzip data is corrupt after ${at} decompressed bytes: ${err.message}`, out.lastFrame);
      } else {
        throw err;
      }
      break;
    }
    if (step.done) {
      reader.end();
      break;
    }
    chunk = step.value;
  }
  progress();
  return reader.bytes;
}

/** Before the format is known, a failing input is unreadable: CaptureError('read-error'). */
async function beforeFormat<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof InputError) throw new CaptureError('read-error', 0, err.message);
    if (err instanceof GzipError) throw new CaptureError('read-error', 0, `gzip data is corrupt: ${err.message}`);
    throw err;
  }
}
