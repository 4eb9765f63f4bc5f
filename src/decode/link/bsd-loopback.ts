import { u32be, u32le } from '../../byte-fields';
import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../protocol-numbers';
import type { SkipReason } from '../tcp-packet';

/** BSD loopback (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html): a 4-byte address family.
 * NULL stores it in the capturing host's byte order, LOOP in network order. */
const FAMILY_LEN = 4;
const AF_INET = 2;
/** AF_INET6 differs per OS: NetBSD/OpenBSD 24, FreeBSD 28, macOS 30. */
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

export function decodeNull(s: DecodeState): SkipReason | null {
  if (s.capEnd - s.off < FAMILY_LEN) return 'truncated-link-header';
  let family = u32le(s.data, s.off);
  // Families are small: a value above 16 bits means the writer was big-endian.
  if (family > 0xffff) family = u32be(s.data, s.off);
  return route(s, family);
}

export function decodeLoop(s: DecodeState): SkipReason | null {
  if (s.capEnd - s.off < FAMILY_LEN) return 'truncated-link-header';
  return route(s, u32be(s.data, s.off));
}

function route(s: DecodeState, family: number): SkipReason | null {
  if (family === AF_INET) s.key = ETHERTYPE_IPV4;
  else if (family === AF_INET6_BSD || family === AF_INET6_FREEBSD || family === AF_INET6_DARWIN) {
    s.key = ETHERTYPE_IPV6;
  } else return 'not-ip';
  s.next = NEXT_ETHERTYPE;
  s.off += FAMILY_LEN;
  return null;
}
