import { type DecodeState, MAX_TUNNELS, NEXT_ETHERTYPE } from '../decode-state';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../protocol-numbers';
import type { SkipReason } from '../tcp-packet';

/** IP protocol 4 (IPv4 in IP, RFC 2003) and 41 (IPv6 in IP, 6in4/6to4, RFC 4213): the inner
 * packet starts right after the outer header and its addresses replace the outer ones. */
export function decodeIpInIpv4(s: DecodeState): SkipReason | null {
  return enter(s, ETHERTYPE_IPV4);
}

export function decodeIpInIpv6(s: DecodeState): SkipReason | null {
  return enter(s, ETHERTYPE_IPV6);
}

function enter(s: DecodeState, ethertype: number): SkipReason | null {
  if (++s.tunnels > MAX_TUNNELS) return 'tunnel-unsupported';
  s.key = ethertype;
  s.next = NEXT_ETHERTYPE;
  return null;
}
