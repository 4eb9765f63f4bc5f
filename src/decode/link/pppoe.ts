import { u16be } from '../../byte-fields';
import { type DecodeState, NEXT_ETHERTYPE } from '../decode-state';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../protocol-numbers';
import type { SkipReason } from '../tcp-packet';

/** PPPoE session stage (RFC 2516): ver/type, code, session id, payload length, then the PPP
 * protocol. */
const PPPOE_HEADER_LEN = 6;
const PPP_PROTOCOL_LEN = 2;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;

export function decodePppoeSession(s: DecodeState): SkipReason | null {
  const d = s.data;
  const o = s.off;
  if (s.capEnd - o < PPPOE_HEADER_LEN + PPP_PROTOCOL_LEN) return 'truncated-link-header';
  const protocol = u16be(d, o + PPPOE_HEADER_LEN);
  if (protocol === PPP_IPV4) s.key = ETHERTYPE_IPV4;
  else if (protocol === PPP_IPV6) s.key = ETHERTYPE_IPV6;
  else return 'not-ip'; // LCP, IPCP, CHAP…
  // The PPPoE length bounds what follows: some senders count Ethernet padding in the IP length
  // (zeek__pppoe-over-qinq.pcap), and tshark takes the smaller of the two.
  const payloadEnd = o + PPPOE_HEADER_LEN + u16be(d, o + 4);
  if (payloadEnd < s.end) s.end = payloadEnd;
  if (s.end < s.capEnd) s.capEnd = s.end;
  s.next = NEXT_ETHERTYPE;
  s.off = o + PPPOE_HEADER_LEN + PPP_PROTOCOL_LEN;
  return null;
}
