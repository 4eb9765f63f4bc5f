import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/** Ethernet II: destination, source, ethertype (IEEE 802.3). Also the frame inside GRE TEB/ERSPAN. */
const ETHERNET_HEADER_LEN = 14;

export function decodeEthernet(s: DecodeState): SkipReason | null {
  const o = s.off;
  if (s.capEnd - o < ETHERNET_HEADER_LEN) return 'truncated-link-header';
  s.key = u16be(s.data, o + 12);
  s.next = NEXT_ETHERTYPE;
  s.off = o + ETHERNET_HEADER_LEN;
  return null;
}
