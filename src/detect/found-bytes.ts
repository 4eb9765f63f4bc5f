/** What the connection-scope detectors found on one retired connection, as bytes for another thread: when
 * the main thread falls behind (at the end of a capture every connection still held retires at once), the
 * replay thread runs the detectors (see replay-worker.ts) and hands their findings over as the JSON the
 * FindingStore puts away, with the connection's deferral bits (see RetirementFindings). Making that JSON
 * was the main thread's largest cost at the end of bench (b). */
import { FINDING_KINDS, type Finding } from './finding';
import { findingHead, measuresText, SEVERITIES, type FindingHead } from './finding-list';

const MAX_UTF8_PER_CHAR = 3;
// The connection's numbers, at the start:
const ID_AT = 0;
const BITS_AT = 4;
const COUNT_AT = 8;
const HEADER_BYTES = 12;
// Then each finding's numbers, from its start, followed by its listener, JSON and measures:
const DETECTOR_AT = 0;
const KIND_AT = 1;
const SEVERITY_AT = 2;
const LOWER_BOUND_AT = 3;
const TIME_AT = 4;
const DURATION_AT = 12;
const CONNECTION_AT = 20;
const LISTENER_LENGTH_AT = 28;
const JSON_LENGTH_AT = 32;
const MEASURES_LENGTH_AT = 36;
const FINDING_BYTES = 40;
/** The byte length of a text a finding has not (a listener, measures). */
const NONE = 0xffffffff;
/** The buffer grows to the most any connection's findings take, and stays that size: starting small, it
 * grows on the first captures the tests replay too. */
const FIRST_BUFFER_BYTES = 1024;

/** A finding of detector number `k` (see RetirementDetectors). */
export type DetectorFinding = readonly [k: number, finding: Finding];

export class FoundWriter {
  /** The bytes written last, from 0; replaced by a larger buffer when they do not fit. */
  bytes = Buffer.allocUnsafe(FIRST_BUFFER_BYTES);

  /** Writes connection `id`'s `bits` and `findings`; returns the length of the bytes. */
  write(id: number, bits: number, findings: readonly DetectorFinding[]): number {
    this.bytes.writeUInt32LE(id, ID_AT);
    this.bytes.writeUInt32LE(bits >>> 0, BITS_AT);
    this.bytes.writeUInt32LE(findings.length, COUNT_AT);
    let at = HEADER_BYTES;
    for (const [k, f] of findings) {
      const head = findingHead(f);
      const json = JSON.stringify(f);
      const measures = measuresText(f);
      this.room(at, FINDING_BYTES + ((head.listener?.length ?? 0) + json.length + (measures?.length ?? 0)) * MAX_UTF8_PER_CHAR);
      const b = this.bytes;
      b[at + DETECTOR_AT] = k;
      b[at + KIND_AT] = FINDING_KINDS.indexOf(head.kind);
      b[at + SEVERITY_AT] = SEVERITIES.indexOf(head.severity);
      b[at + LOWER_BOUND_AT] = head.lowerBound ? 1 : 0;
      b.writeDoubleLE(head.at, at + TIME_AT);
      b.writeDoubleLE(head.duration, at + DURATION_AT);
      b.writeDoubleLE(head.connection, at + CONNECTION_AT);
      let text = at + FINDING_BYTES;
      text = this.text(head.listener, at + LISTENER_LENGTH_AT, text);
      text = this.text(json, at + JSON_LENGTH_AT, text);
      at = this.text(measures, at + MEASURES_LENGTH_AT, text);
    }
    return at;
  }

  /** Writes `text` at `at` and its byte length at `lengthAt`; returns where the next bytes go. */
  private text(text: string | undefined, lengthAt: number, at: number): number {
    if (text === undefined) {
      this.bytes.writeUInt32LE(NONE, lengthAt);
      return at;
    }
    const length = this.bytes.write(text, at);
    this.bytes.writeUInt32LE(length, lengthAt);
    return at + length;
  }

  /** Room for `more` bytes after the first `used`, which a larger buffer keeps. */
  private room(used: number, more: number): void {
    if (used + more <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(used + more, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, used);
    this.bytes = grown;
  }
}

/** Reads what FoundWriter wrote: each finding's connection, detector, head and texts to `take` (the texts'
 * bytes are valid only during the call), in the order written. Returns the connection's id and bits. */
export function readFound(
  bytes: Buffer, take: (id: number, k: number, head: FindingHead, json: Uint8Array, measures: Uint8Array | undefined) => void,
): { id: number; bits: number } {
  const id = bytes.readUInt32LE(ID_AT);
  const count = bytes.readUInt32LE(COUNT_AT);
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    let text = at + FINDING_BYTES;
    const listenerLength = bytes.readUInt32LE(at + LISTENER_LENGTH_AT);
    const listener = listenerLength === NONE ? undefined : bytes.toString('utf8', text, text += listenerLength);
    const json = bytes.subarray(text, text += bytes.readUInt32LE(at + JSON_LENGTH_AT));
    const measuresLength = bytes.readUInt32LE(at + MEASURES_LENGTH_AT);
    const measures = measuresLength === NONE ? undefined : bytes.subarray(text, text += measuresLength);
    take(id, bytes[at + DETECTOR_AT], {
      kind: FINDING_KINDS[bytes[at + KIND_AT]], severity: SEVERITIES[bytes[at + SEVERITY_AT]], lowerBound: bytes[at + LOWER_BOUND_AT] === 1,
      at: bytes.readDoubleLE(at + TIME_AT), duration: bytes.readDoubleLE(at + DURATION_AT), listener,
      connection: bytes.readDoubleLE(at + CONNECTION_AT),
    }, json, measures);
    at = text;
  }
  return { id, bits: bytes.readUInt32LE(BITS_AT) };
}
