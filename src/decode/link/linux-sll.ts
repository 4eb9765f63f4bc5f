import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/** Linux cooked capture v1 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html):
 * packet type, ARPHRD type, address length, 8 address bytes, then the protocol (an ethertype). */
const SLL_HEADER_LEN = 16;
const SLL_PROTOCOL_OFFSET = 14;

export function decodeLinuxSll(s: DecodeState): SkipReason | null {
  const o = s.off;
  if (s.capEnd - o < SLL_HEADER_LEN) return 'truncated-link-header';
  s.key = u16be(s.data, o + SLL_PROTOCOL_OFFSET);
  s.next = NEXT_ETHERTYPE;
  s.off = o + SLL_HEADER_LEN;
  return null;
}
