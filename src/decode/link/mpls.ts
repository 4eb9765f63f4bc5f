import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../protocol-numbers';
import type { SkipReason } from '../tcp-packet';

/** MPLS label stack (RFC 3032): 4-byte entries up to the bottom-of-stack bit. MPLS does not say
 * what it carries, so like tshark we guess from the IP version nibble that follows. */
const LABEL_LEN = 4;
const BOTTOM_OF_STACK = 0x01;

export function decodeMpls(s: DecodeState): SkipReason | null {
  const d = s.data;
  let o = s.off;
  for (;;) {
    if (s.capEnd - o < LABEL_LEN) return 'truncated-link-header';
    const bottom = (d[o + 2] & BOTTOM_OF_STACK) !== 0;
    o += LABEL_LEN;
    if (bottom) break;
  }
  if (o >= s.capEnd) return 'truncated-link-header';
  const version = d[o] >> 4;
  if (version === 4) s.key = ETHERTYPE_IPV4;
  else if (version === 6) s.key = ETHERTYPE_IPV6;
  else return 'not-ip'; // pseudowire control word, VPLS…
  s.next = NEXT_ETHERTYPE;
  s.off = o;
  return null;
}
