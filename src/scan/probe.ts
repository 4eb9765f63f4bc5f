import { readCapture } from '../capture/read-capture';
import type { CaptureFormat } from '../capture/record';

/** What deciding a rotated set needs to know of a capture: one full read, no decoding. */
export interface Probe {
  format: CaptureFormat;
  byteOrder: 'LE' | 'BE';
  linkTypes: number[];
  /** Earliest and latest packet time (null without packets). */
  firstTs: number | null;
  lastTs: number | null;
  damaged: boolean;
  /** Decompressed bytes read. */
  bytes: number;
}

/** Throws CaptureError like the analysis would. */
export async function probeCapture(path: string, onProgress: (bytesRead: number) => void): Promise<Probe> {
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  const result = await readCapture(path, {
    record(rec) {
      if (firstTs === null || rec.ts < firstTs) firstTs = rec.ts;
      if (lastTs === null || rec.ts > lastTs) lastTs = rec.ts;
    },
    issue: () => undefined,
    progress: onProgress,
  });
  const { format, byteOrder, linkTypes } = result.info;
  return { format, byteOrder, linkTypes, firstTs, lastTs, damaged: result.damaged, bytes: result.bytes };
}
