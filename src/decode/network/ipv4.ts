import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_IP_PROTOCOL } from '../decode-state';
import type { SkipReason } from '../tcp-packet';

/** IPv4 header (RFC 791). Options are skipped and the checksum is not checked. */
const MIN_HEADER_LEN = 20;
const MORE_FRAGMENTS_AND_OFFSET = 0x3fff;

export function decodeIpv4(s: DecodeState): SkipReason | null {
  const d = s.data;
  const o = s.off;
  if (s.capEnd - o < MIN_HEADER_LEN) return 'truncated-ip-header';
  if (d[o] >> 4 !== 4) return 'bad-ip-header';
  const headerLen = (d[o] & 0x0f) * 4;
  let totalLen = u16be(d, o + 2);
  // 0 is what TCP segmentation offload leaves in captures taken before the NIC: use the wire length.
  if (totalLen === 0) totalLen = s.end - o;
  if (headerLen < MIN_HEADER_LEN || totalLen < headerLen) return 'bad-ip-header';
  if (s.capEnd - o < headerLen) return 'truncated-ip-header';
  if ((u16be(d, o + 6) & MORE_FRAGMENTS_AND_OFFSET) !== 0) return 'ip-fragment';

  const out = s.out;
  out.ipVersion = 4;
  out.addrLen = 4;
  out.srcOffset = o + 12;
  out.dstOffset = o + 16;
  out.ipLen = totalLen;
  // The IP length bounds the payload (Ethernet padding is not payload). It never grows past
  // the wire length: tshark computes tcp.len from min(IP length, frame length) too.
  const ipEnd = o + totalLen;
  if (ipEnd < s.end) s.end = ipEnd;
  if (s.end < s.capEnd) s.capEnd = s.end;
  s.off = o + headerLen;
  s.key = d[o + 9];
  s.next = NEXT_IP_PROTOCOL;
  return null;
}
