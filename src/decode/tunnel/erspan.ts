import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import { ETHERTYPE_TEB } from '../protocol-numbers';
import type { SkipReason } from '../tcp-packet';

/** ERSPAN (Cisco; draft-foschiano-erspan): a mirrored Ethernet frame inside GRE. */
const TYPE_II_HEADER_LEN = 8;
const TYPE_III_HEADER_LEN = 12;
/** Type III "O" flag, the low bit of the 12th byte: an 8-byte platform sub-header follows. */
const TYPE_III_OPTIONAL_LEN = 8;

/** GRE protocol 0x88be. Type I (GRE without a sequence number) has no ERSPAN header at all,
 * which is how tshark tells the two apart. */
export function decodeErspanII(s: DecodeState): SkipReason | null {
  const len = s.greHasSequence ? TYPE_II_HEADER_LEN : 0;
  if (s.capEnd - s.off < len) return 'truncated-tunnel-header';
  return toEthernet(s, len);
}

/** GRE protocol 0x22eb. */
export function decodeErspanIII(s: DecodeState): SkipReason | null {
  const o = s.off;
  if (s.capEnd - o < TYPE_III_HEADER_LEN) return 'truncated-tunnel-header';
  let len = TYPE_III_HEADER_LEN;
  if ((s.data[o + 11] & 0x01) !== 0) len += TYPE_III_OPTIONAL_LEN;
  if (s.capEnd - o < len) return 'truncated-tunnel-header';
  return toEthernet(s, len);
}

function toEthernet(s: DecodeState, headerLen: number): SkipReason | null {
  s.off += headerLen;
  s.key = ETHERTYPE_TEB;
  s.next = NEXT_ETHERTYPE;
  return null;
}
