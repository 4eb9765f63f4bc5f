import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/** One 802.1Q / 802.1ad / 0x9100 tag: TCI, then the next ethertype. Stacked tags come back here. */
const VLAN_TAG_LEN = 4;

export function decodeVlan(s: DecodeState): SkipReason | null {
  const o = s.off;
  if (s.capEnd - o < VLAN_TAG_LEN) return 'truncated-link-header';
  s.key = u16be(s.data, o + 2);
  s.next = NEXT_ETHERTYPE;
  s.off = o + VLAN_TAG_LEN;
  return null;
}
