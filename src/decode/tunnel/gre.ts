import { u16be } from '../../byte-fields';
import { type DecodeState, MAX_TUNNELS, NEXT_ETHERTYPE } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/** GRE (RFC 2784, RFC 2890): flags and version, protocol type (an ethertype), then the optional
 * checksum, key and sequence number words the flags announce. */
const BASE_LEN = 4;
const CHECKSUM_PRESENT = 0x8000;
/** RFC 1701 source routing: obsolete, and its variable routing list is not followed. */
const ROUTING_PRESENT = 0x4000;
const KEY_PRESENT = 0x2000;
const SEQUENCE_PRESENT = 0x1000;
/** Version 1 is PPTP's enhanced GRE, carrying PPP. */
const VERSION_MASK = 0x0007;

export function decodeGre(s: DecodeState): SkipReason | null {
  if (++s.tunnels > MAX_TUNNELS) return 'tunnel-unsupported';
  const o = s.off;
  if (s.capEnd - o < BASE_LEN) return 'truncated-tunnel-header';
  const flags = u16be(s.data, o);
  if ((flags & (ROUTING_PRESENT | VERSION_MASK)) !== 0) return 'tunnel-unsupported';
  let len = BASE_LEN;
  if ((flags & CHECKSUM_PRESENT) !== 0) len += 4;
  if ((flags & KEY_PRESENT) !== 0) len += 4;
  if ((flags & SEQUENCE_PRESENT) !== 0) len += 4;
  if (s.capEnd - o < len) return 'truncated-tunnel-header';
  s.greHasSequence = (flags & SEQUENCE_PRESENT) !== 0;
  s.key = u16be(s.data, o + 2);
  s.next = NEXT_ETHERTYPE;
  s.off = o + len;
  return null;
}
