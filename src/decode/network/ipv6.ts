import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_IP_PROTOCOL } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/** IPv6 header (RFC 8200) and its extension header chain, up to the upper-layer protocol. */
const HEADER_LEN = 40;
const MAX_EXTENSION_HEADERS = 8;
const MIN_EXTENSION_LEN = 8;

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTHENTICATION = 51;
const DESTINATION_OPTIONS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;
const EXPERIMENTAL_1 = 253;
const EXPERIMENTAL_2 = 254;

function isExtensionHeader(n: number): boolean {
  return n === HOP_BY_HOP || n === ROUTING || n === FRAGMENT || n === AUTHENTICATION ||
    n === DESTINATION_OPTIONS || n === MOBILITY || n === HIP || n === SHIM6 ||
    n === EXPERIMENTAL_1 || n === EXPERIMENTAL_2;
}

export function decodeIpv6(s: DecodeState): SkipReason | null {
  const d = s.data;
  const o = s.off;
  if (s.capEnd - o < HEADER_LEN) return 'truncated-ip-header';
  if (d[o] >> 4 !== 6) return 'bad-ip-header';
  let payloadLen = u16be(d, o + 4);
  // 0 means a jumbogram (or offload): the length is whatever the wire carried.
  if (payloadLen === 0 && s.end - o > HEADER_LEN) payloadLen = s.end - o - HEADER_LEN;

  const out = s.out;
  out.ipVersion = 6;
  out.addrLen = 16;
  out.srcOffset = o + 8;
  out.dstOffset = o + 24;
  out.ipLen = HEADER_LEN + payloadLen;
  const ipEnd = o + HEADER_LEN + payloadLen;
  if (ipEnd < s.end) s.end = ipEnd;
  if (s.end < s.capEnd) s.capEnd = s.end;

  let next = d[o + 6];
  let p = o + HEADER_LEN;
  for (let count = 0; isExtensionHeader(next); count++) {
    if (count === MAX_EXTENSION_HEADERS || s.capEnd - p < MIN_EXTENSION_LEN) {
      return 'ipv6-extension-chain';
    }
    let len: number;
    if (next === FRAGMENT) {
      // An atomic fragment (offset 0, M clear, RFC 6946) is a whole packet.
      if ((u16be(d, p + 2) & 0xfff9) !== 0) return 'ip-fragment';
      len = MIN_EXTENSION_LEN;
    } else if (next === AUTHENTICATION) {
      len = (d[p + 1] + 2) * 4; // AH counts 4-byte words (RFC 4302)
    } else {
      len = (d[p + 1] + 1) * 8;
    }
    next = d[p];
    p += len;
  }
  if (p > s.end) return 'ipv6-extension-chain';
  s.off = p;
  s.key = next;
  s.next = NEXT_IP_PROTOCOL;
  return null;
}
