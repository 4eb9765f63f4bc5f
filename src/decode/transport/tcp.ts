import { u16be, u32be } from '../../byte-fields';
import { type DecodeState, NEXT_DONE } from '../decode-state';
import type { SkipReason } from '../tcp-packet';
import { parseTcpOptions } from './tcp-options';

/** TCP header (RFC 9293). Lengths come from the IP header (`s.end`), so a segment cut by the
 * snaplen still reports its real payload length. */
const MIN_HEADER_LEN = 20;
const NS_FLAG = 0x100;

export function decodeTcp(s: DecodeState): SkipReason | null {
  const d = s.data;
  const o = s.off;
  const segmentLen = s.end - o;
  if (segmentLen < MIN_HEADER_LEN) return 'bad-tcp-header';
  if (s.capEnd - o < MIN_HEADER_LEN) return 'truncated-tcp-header';
  const headerLen = (d[o + 12] >> 4) * 4;
  if (headerLen < MIN_HEADER_LEN || headerLen > segmentLen) return 'bad-tcp-header';

  // Options cut by the snaplen: neither tshark's conversations nor Zeek count such a segment.
  if (s.capEnd - o < headerLen) return 'truncated-tcp-header';

  const out = s.out;
  out.srcPort = u16be(d, o);
  out.dstPort = u16be(d, o + 2);
  out.seq = u32be(d, o + 4);
  out.ack = u32be(d, o + 8);
  // NS (RFC 3540, now AE in RFC 9768) is the low bit of the data-offset byte.
  out.flags = d[o + 13] | ((d[o + 12] & 0x01) !== 0 ? NS_FLAG : 0);
  out.window = u16be(d, o + 14);
  out.payloadLen = segmentLen - headerLen;
  out.payloadCaptured = Math.max(0, Math.min(out.payloadLen, s.capEnd - o - headerLen));
  parseTcpOptions(d, o + MIN_HEADER_LEN, o + headerLen, out);
  s.next = NEXT_DONE;
  return null;
}
