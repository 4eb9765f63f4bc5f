import type { CaptureInfo, CaptureIssueCode, CaptureRecord, CaptureSink } from './record';

const NO_BYTES = Buffer.alloc(0);

/** The record a Delivery hands over, filled in again for each packet. */
class ReusedRecord implements CaptureRecord {
  frame = 0;
  ts = 0;
  linkType = 0;
  bytes = NO_BYTES;
  start = 0;
  caplen = 0;
  origLen = 0;
  offset = 0;

  get data(): Buffer {
    return this.bytes.subarray(this.start, this.start + this.caplen);
  }
}

/** Hands records and issues to the sink for one capture: one reused record object, Wireshark frame
 * numbers, and the info sent once before the first record (or at the end when there is none). */
export class Delivery {
  readonly record: CaptureRecord = new ReusedRecord();
  /** Last frame number given out; counts the non-packet records Wireshark numbers too. */
  frames = 0;
  records = 0;
  damaged = false;
  private infoSent = false;

  constructor(
    private readonly sink: CaptureSink,
    readonly info: CaptureInfo,
  ) {}

  /** Sends `record` as the next frame; the reader has filled every other field. */
  deliver(): void {
    if (!this.infoSent) this.sendInfo();
    this.record.frame = ++this.frames;
    this.records++;
    this.sink.record(this.record);
  }

  /** A record Wireshark shows as a frame but we do not deliver: keeps later frame numbers aligned. */
  skipFrame(): void {
    this.frames++;
  }

  /** Frame number for issues about the last record read, if any was. */
  get lastFrame(): number | undefined {
    return this.frames > 0 ? this.frames : undefined;
  }

  issue(code: CaptureIssueCode, offset: number, message: string, frame: number | undefined): void {
    this.damaged = true;
    this.sink.issue(frame === undefined ? { code, offset, message } : { code, offset, frame, message });
  }

  finish(): void {
    if (!this.infoSent) this.sendInfo();
  }

  private sendInfo(): void {
    this.infoSent = true;
    // A snapshot: pcapng may describe more interfaces later; the result carries the final info.
    this.sink.info?.({ ...this.info, linkTypes: [...this.info.linkTypes] });
  }
}

/** What read-capture drives: a format reader fed the decompressed bytes in order. */
export interface FormatReader {
  /** Returns false once the reader has stopped on damage: feed it nothing more. */
  push(chunk: Buffer): boolean;
  /** End of input: reports a record or header cut short. */
  end(): void;
  /** Bytes read: all pushed, or up to the record or block where the reader stopped (chunking-independent). */
  readonly bytes: number;
}
