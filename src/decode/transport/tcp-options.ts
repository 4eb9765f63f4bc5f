import { u16be, u32be } from '../../byte-fields';
import type { TcpPacket } from '../tcp-packet';

/** TCP options (RFC 9293 §3.1, RFC 7323, RFC 2018). Malformed options are common (middleboxes,
 * scanners): parsing stops at the first one that does not fit, and the segment stays usable. */
const END_OF_OPTIONS = 0;
const NO_OPERATION = 1;
const MSS = 2;
const WINDOW_SCALE = 3;
const SACK_PERMITTED = 4;
const TIMESTAMPS = 8;
/** RFC 7323 §2.3: a larger shift is treated as 14. */
const MAX_WINDOW_SCALE = 14;

export function parseTcpOptions(d: Buffer, start: number, end: number, out: TcpPacket): void {
  out.mss = -1;
  out.windowScale = -1;
  out.sackPermitted = false;
  out.hasTimestamp = false;
  out.tsVal = 0;
  out.tsEcr = 0;
  let p = start;
  while (p < end) {
    const kind = d[p];
    if (kind === END_OF_OPTIONS) return;
    if (kind === NO_OPERATION) {
      p++;
      continue;
    }
    if (p + 1 >= end) return;
    const len = d[p + 1];
    if (len < 2 || p + len > end) return;
    // An option of a known kind but the wrong length is ignored, like Linux does.
    if (kind === MSS && len === 4) {
      out.mss = u16be(d, p + 2);
    } else if (kind === WINDOW_SCALE && len === 3) {
      out.windowScale = d[p + 2] > MAX_WINDOW_SCALE ? MAX_WINDOW_SCALE : d[p + 2];
    } else if (kind === SACK_PERMITTED && len === 2) {
      out.sackPermitted = true;
    } else if (kind === TIMESTAMPS && len === 10) {
      out.hasTimestamp = true;
      out.tsVal = u32be(d, p + 2);
      out.tsEcr = u32be(d, p + 6);
    }
    p += len;
  }
}
