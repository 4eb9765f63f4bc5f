import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/**
 * IP over InfiniBand as pcap files store it (LINKTYPE_IPOIB): a 40-byte pseudo-header (Linux's
 * 20-byte destination hardware address and GRH information) before the 4-byte RFC 4391 header,
 * whose first 2 bytes are the ethertype. tcpdump (IPOIB_HDRLEN 44) and tshark
 * (WTAP_ENCAP_IP_OVER_IB_PCAP, grh_size 40) read it this way, as does tcpdump__ipoib.pcap.
 */
const PSEUDO_HEADER_LEN = 40;
const IPOIB_HEADER_LEN = 4;

export function decodeIpoib(s: DecodeState): SkipReason | null {
  const o = s.off;
  if (s.capEnd - o < PSEUDO_HEADER_LEN + IPOIB_HEADER_LEN) return 'truncated-link-header';
  s.key = u16be(s.data, o + PSEUDO_HEADER_LEN);
  s.next = NEXT_ETHERTYPE;
  s.off = o + PSEUDO_HEADER_LEN + IPOIB_HEADER_LEN;
  return null;
}
