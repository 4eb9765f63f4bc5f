import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/** Linux cooked capture v2 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html): the
 * protocol (an ethertype) comes first, then interface index, ARPHRD type, packet type, address. */
const SLL2_HEADER_LEN = 20;

export function decodeLinuxSll2(s: DecodeState): SkipReason | null {
  const o = s.off;
  if (s.capEnd - o < SLL2_HEADER_LEN) return 'truncated-link-header';
  s.key = u16be(s.data, o);
  s.next = NEXT_ETHERTYPE;
  s.off = o + SLL2_HEADER_LEN;
  return null;
}
