import { InputError } from '../capture/input-chunks';
import { CaptureError } from '../capture/record';
import { captureErrorMessage } from './capture-error-message';
import { probeCapture, type Probe } from './probe';
import { sniffFile } from './sniff-file';

export type Inspection =
  | { kind: 'capture'; gzip: boolean; probe: Probe | null }
  | { kind: 'not-capture'; reason: string }
  | { kind: 'unreadable'; message: string };

/** Sniffs a file; probes it too when it may belong to a rotated set. */
export async function inspectFile(path: string, probe: boolean, onProgress: (bytesRead: number) => void): Promise<Inspection> {
  try {
    const sniffed = await sniffFile(path);
    if (!sniffed.capture) return { kind: 'not-capture', reason: sniffed.reason };
    return { kind: 'capture', gzip: sniffed.gzip, probe: probe ? await probeCapture(path, onProgress) : null };
  } catch (err) {
    if (err instanceof CaptureError) return { kind: 'unreadable', message: captureErrorMessage(err) };
    if (err instanceof InputError) return { kind: 'unreadable', message: err.message };
    throw err;
  }
}
