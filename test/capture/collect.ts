/** Test sinks and input helpers for the capture stage. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { readCapture, type ReadCaptureOptions } from '../../src/capture/read-capture';
import type { CaptureInfo, CaptureIssue, CaptureRecord, CaptureResult } from '../../src/capture/record';
import { prng } from '../support/prng';

/** A record as the reader described it, its bytes copied (not where they lay in a chunk). */
export type PlainRecord = Pick<CaptureRecord, 'frame' | 'ts' | 'linkType' | 'origLen' | 'offset'> & { data: Buffer };

export interface Collected {
  records: PlainRecord[];
  issues: CaptureIssue[];
  infos: CaptureInfo[];
  progress: number[];
  result: CaptureResult;
  /** Distinct record objects the sink was handed (the reader reuses one). */
  recordObjects: number;
}

/** Reads everything, keeping copies of every record. */
export async function collect(input: string | NodeJS.ReadableStream, options?: ReadCaptureOptions): Promise<Collected> {
  const records: PlainRecord[] = [];
  const issues: CaptureIssue[] = [];
  const infos: CaptureInfo[] = [];
  const progress: number[] = [];
  const objects = new Set<CaptureRecord>();
  const result = await readCapture(input, {
    info: (info) => { infos.push(info); },
    record: (r) => {
      objects.add(r);
      if (infos.length !== 1) throw new Error('record before info');
      records.push({ frame: r.frame, ts: r.ts, linkType: r.linkType, data: Buffer.from(r.data), origLen: r.origLen, offset: r.offset });
    },
    issue: (i) => { issues.push(i); },
    progress: (n) => { progress.push(n); },
  }, options);
  return { records, issues, infos, progress, result, recordObjects: objects.size };
}

/** A compact, comparable view of a whole record sequence (for big captures). */
export interface Digest {
  count: number;
  frames: number[];
  ts: number[];
  linkTypes: number[];
  origLens: number[];
  offsets: number[];
  dataHash: string;
  issues: CaptureIssue[];
  result: CaptureResult;
}

export async function digest(input: string | NodeJS.ReadableStream): Promise<Digest> {
  const d = { count: 0, frames: [] as number[], ts: [] as number[], linkTypes: [] as number[], origLens: [] as number[], offsets: [] as number[] };
  const hash = createHash('sha1');
  const issues: CaptureIssue[] = [];
  const result = await readCapture(input, {
    record: (r) => {
      d.count++;
      d.frames.push(r.frame);
      d.ts.push(r.ts);
      d.linkTypes.push(r.linkType);
      d.origLens.push(r.origLen);
      d.offsets.push(r.offset);
      hash.update(r.data);
      hash.update(String(r.data.length));
    },
    issue: (i) => { issues.push(i); },
  });
  return { ...d, dataHash: hash.digest('hex'), issues, result };
}

/** Seeded numbers in [0, 1). */
export const seededRandom = prng;

/** Cuts `buf` at random points: half the chunks 1..64 bytes, the rest up to `maxChunk`. */
export function randomChunks(buf: Buffer, seed: number, maxChunk = 4096): Buffer[] {
  const rnd = seededRandom(seed);
  const out: Buffer[] = [];
  for (let p = 0; p < buf.length;) {
    const n = 1 + Math.floor(rnd() * (rnd() < 0.5 ? 64 : maxChunk));
    out.push(buf.subarray(p, p + n));
    p += n;
  }
  return out;
}

/** A stream delivering exactly these chunks (object mode keeps the boundaries). */
export function streamOf(chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

/** The same bytes split at the given positions. */
export function splitAt(buf: Buffer, ...cuts: number[]): Buffer[] {
  const points = [0, ...cuts, buf.length];
  return points.slice(1).map((end, i) => buf.subarray(points[i], end));
}
