/** What the connection-scope detectors found on one retired connection, as bytes for another thread: when
 * the main thread falls behind (at the end of a capture every connection still held retires at once), the
 * replay thread runs the detectors (see replay-worker.ts) and hands their findings over as the JSON the
 * FindingStore puts away, with the connection's deferral bits (see RetirementFindings). Making that JSON
 * was the main thread's largest cost at the end of bench (b). */
import { FINDING_KINDS, type Finding } from './finding';
import { findingHead, SEVERITIES, type FindingHead } from './finding-list';

const MAX_UTF8_PER_CHAR = 3;
/** A connection's id, its bits, its count of findings. */
const HEADER_BYTES = 12;
/** A finding's detector, kind, severity, lower bound; at, duration, connection; the byte lengths of its
 * listener, JSON and measures. */
const FINDING_BYTES = 4 + 3 * 8 + 3 * 4;
/** The length of a text a finding has not (a listener, measures). */
const NONE = 0xffffffff;

/** One finding of detector number `k` (see RetirementDetectors). */
export type Found = readonly [k: number, finding: Finding];

export class FoundWriter {
  /** The bytes written last, from 0; replaced by a larger buffer when they do not fit. */
  bytes = Buffer.allocUnsafe(16 << 10);

  /** Writes connection `id`'s `bits` and `found`; returns the length of the bytes. */
  write(id: number, bits: number, found: readonly Found[]): number {
    let at = HEADER_BYTES;
    this.room(at);
    this.bytes.writeUInt32LE(id, 0);
    this.bytes.writeUInt32LE(bits >>> 0, 4);
    this.bytes.writeUInt32LE(found.length, 8);
    for (const [k, f] of found) {
      const head = findingHead(f);
      const json = JSON.stringify(f);
      const measures = f.measures === undefined ? undefined : JSON.stringify(f.measures);
      this.room(at + FINDING_BYTES + ((head.listener?.length ?? 0) + json.length + (measures?.length ?? 0)) * MAX_UTF8_PER_CHAR);
      const b = this.bytes;
      b[at] = k;
      b[at + 1] = FINDING_KINDS.indexOf(head.kind);
      b[at + 2] = SEVERITIES.indexOf(head.severity);
      b[at + 3] = head.lowerBound ? 1 : 0;
      b.writeDoubleLE(head.at, at + 4);
      b.writeDoubleLE(head.duration, at + 12);
      b.writeDoubleLE(head.connection, at + 20);
      const lengths = at + 28;
      at += FINDING_BYTES;
      at = this.text(head.listener, lengths, at);
      at = this.text(json, lengths + 4, at);
      at = this.text(measures, lengths + 8, at);
    }
    return at;
  }

  /** Writes `text` at `at` and its length at `lengthAt`; returns where the next bytes go. */
  private text(text: string | undefined, lengthAt: number, at: number): number {
    if (text === undefined) {
      this.bytes.writeUInt32LE(NONE, lengthAt);
      return at;
    }
    const length = this.bytes.write(text, at);
    this.bytes.writeUInt32LE(length, lengthAt);
    return at + length;
  }

  private room(bytes: number): void {
    if (bytes <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(bytes, this.bytes.length * 2));
    this.bytes.copy(grown);
    this.bytes = grown;
  }
}

/** Reads what FoundWriter wrote: each finding's connection, detector, head and texts to `found` (the
 * texts' bytes are valid only during the call), in the order written. Returns the connection's id and bits. */
export function readFound(
  bytes: Buffer, found: (id: number, k: number, head: FindingHead, json: Uint8Array, measures: Uint8Array | undefined) => void,
): { id: number; bits: number } {
  const id = bytes.readUInt32LE(0);
  const count = bytes.readUInt32LE(8);
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    const lengths = at + 28;
    let text = at + FINDING_BYTES;
    const listenerLength = bytes.readUInt32LE(lengths);
    const listener = listenerLength === NONE ? undefined : bytes.toString('utf8', text, text += listenerLength);
    const jsonLength = bytes.readUInt32LE(lengths + 4);
    const json = bytes.subarray(text, text += jsonLength);
    const measuresLength = bytes.readUInt32LE(lengths + 8);
    const measures = measuresLength === NONE ? undefined : bytes.subarray(text, text += measuresLength);
    found(id, bytes[at], {
      kind: FINDING_KINDS[bytes[at + 1]], severity: SEVERITIES[bytes[at + 2]], lowerBound: bytes[at + 3] === 1,
      at: bytes.readDoubleLE(at + 4), duration: bytes.readDoubleLE(at + 12), listener, connection: bytes.readDoubleLE(at + 20),
    }, json, measures);
    at = text;
  }
  return { id, bits: bytes.readUInt32LE(4) };
}
