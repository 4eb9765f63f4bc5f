import type { ByteOrderReader } from './byte-order';
import { DEFAULT_TSRESOL, timestampScale, type TimestampScale } from './timestamp';

/** What packet blocks need from their Interface Description Block. */
export interface PcapngInterface {
  linkType: number;
  /** 0 = no limit. */
  snaplen: number;
  scale: TimestampScale;
}

const OPT_END = 0;
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;

/** Reads an IDB (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html#section-4.2):
 * link type u16 @8, reserved u16, snaplen u32 @12, options @16 up to the trailing length.
 * A malformed option ends option parsing: it cannot move packet boundaries, only timestamps. */
export function readInterface(b: Buffer, base: number, length: number, order: ByteOrderReader): PcapngInterface {
  let tsresol = DEFAULT_TSRESOL;
  let tsoffset = 0;
  const end = base + length - 4;
  let p = base + 16;
  while (p + 4 <= end) {
    const code = order.u16(b, p);
    const len = order.u16(b, p + 2);
    const value = p + 4;
    if (code === OPT_END || value + len > end) break;
    if (code === OPT_TSRESOL && len >= 1) tsresol = b[value];
    else if (code === OPT_TSOFFSET && len >= 8) tsoffset = order.i64(b, value);
    p = value + ((len + 3) & ~3);
  }
  return { linkType: order.u16(b, base + 8), snaplen: order.u32(b, base + 12), scale: timestampScale(tsresol, tsoffset) };
}
