import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../protocol-numbers';
import type { SkipReason } from '../tcp-packet';

/** Raw IP (LINKTYPE_RAW): no link header; the version nibble says IPv4 or IPv6. */
export function decodeRawIp(s: DecodeState): SkipReason | null {
  if (s.off >= s.capEnd) return 'truncated-ip-header';
  const version = s.data[s.off] >> 4;
  if (version === 4) s.key = ETHERTYPE_IPV4;
  else if (version === 6) s.key = ETHERTYPE_IPV6;
  else return 'not-ip';
  s.next = NEXT_ETHERTYPE;
  return null;
}

/** LINKTYPE_IPV4: raw IP known to be version 4 (the IPv4 decoder still checks the nibble). */
export function decodeRawIpv4(s: DecodeState): SkipReason | null {
  s.key = ETHERTYPE_IPV4;
  s.next = NEXT_ETHERTYPE;
  return null;
}

export function decodeRawIpv6(s: DecodeState): SkipReason | null {
  s.key = ETHERTYPE_IPV6;
  s.next = NEXT_ETHERTYPE;
  return null;
}
