/** What every capture reader produces: packet records and named problems. Knows no protocols. */

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcapng';

/** One packet as stored in the capture. Readers reuse one object per stream: copy what you keep. */
export interface CaptureRecord {
  /** 1-based, numbered the way Wireshark numbers frames (every packet record of the file). */
  frame: number;
  /** Capture time, epoch seconds (microsecond precision is kept; finer fractions may round). */
  ts: number;
  /** LINKTYPE_* of the interface the packet was captured on. */
  linkType: number;
  /** The captured bytes are bytes[start ... start + caplen] (caplen may be less than origLen when the
   * snaplen cut the packet): the chunk the record lies in, not a view made for each packet. */
  bytes: Buffer;
  start: number;
  caplen: number;
  /** The captured bytes as a view of their own (made on each read). */
  readonly data: Buffer;
  /** Length of the packet on the wire. */
  origLen: number;
  /** Byte offset of the record in the (decompressed) capture stream. */
  offset: number;
}

/** Why a reader skipped part of a capture. Stable names: they are counted and reported. */
export type CaptureIssueCode =
  | 'truncated-record'
  | 'truncated-file'
  | 'oversized-record'
  | 'bad-block-length'
  | 'unknown-interface'
  | 'unsupported-block'
  | 'garbage-after-end'
  | 'gzip-error'
  | 'read-error';

export interface CaptureIssue {
  code: CaptureIssueCode;
  /** Byte offset in the (decompressed) stream where the problem starts. */
  offset: number;
  /** Frame number of the record concerned, or of the last good one, when known. */
  frame?: number;
  /** One line a user can act on, without the file name (the caller adds it). */
  message: string;
}

/** What the reader learnt about the file as a whole. */
export interface CaptureInfo {
  format: CaptureFormat;
  byteOrder: 'LE' | 'BE';
  gzip: boolean;
  /** Every link type seen (pcap: one; pcapng: one per interface). */
  linkTypes: number[];
  /** pcapng sections read (1 for pcap). */
  sections: number;
}

export interface CaptureSink {
  /** Called once, before the first record. */
  info?(info: CaptureInfo): void;
  record(record: CaptureRecord): void;
  issue(issue: CaptureIssue): void;
  /** Bytes of input consumed so far (compressed bytes for gzip), for progress displays. */
  progress?(bytesRead: number): void;
  /** Awaited after each chunk of input has been delivered, before the next is read: a sink that hands
   * records to another thread waits there for room, with the event loop free. Its rejection ends the
   * reading with that error. */
  chunkDone?(): Promise<void>;
}

export interface CaptureResult {
  info: CaptureInfo;
  records: number;
  /** Decompressed bytes read. */
  bytes: number;
  /** True when the capture was cut short or damaged and reading stopped or skipped. */
  damaged: boolean;
}

/** The input cannot be read as a capture at all (not a capture, unsupported version, I/O error). */
export class CaptureError extends Error {
  constructor(
    readonly code: 'not-a-capture' | 'unsupported-format' | 'read-error' | 'empty',
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}
