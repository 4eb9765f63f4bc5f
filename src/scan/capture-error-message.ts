import type { CaptureError } from '../capture/record';

/** The line `analyze` prints for an unreadable capture, without the file name. */
export function captureErrorMessage(err: CaptureError): string {
  return `${err.message}${err.offset > 0 ? ` (byte offset ${err.offset})` : ''}`;
}
