import type { Decoder } from './decode-state';
import * as lt from './link-types';
import * as pn from './protocol-numbers';
import { decodeNull, decodeLoop } from './link/bsd-loopback';
import { decodeEthernet } from './link/ethernet';
import { decodeIpoib } from './link/ipoib';
import { decodeLinuxSll } from './link/linux-sll';
import { decodeLinuxSll2 } from './link/linux-sll2';
import { decodeMpls } from './link/mpls';
import { decodePppoeSession } from './link/pppoe';
import { decodeRawIp, decodeRawIpv4, decodeRawIpv6 } from './link/raw-ip';
import { decodeVlan } from './link/vlan';
import { decodeIpv4 } from './network/ipv4';
import { decodeIpv6 } from './network/ipv6';
import { decodeTcp } from './transport/tcp';
import { decodeErspanII, decodeErspanIII } from './tunnel/erspan';
import { decodeGre } from './tunnel/gre';
import { decodeIpInIpv4, decodeIpInIpv6 } from './tunnel/ip-in-ip';

/** The only place that knows which decoder follows which: decoders name the next protocol,
 * these tables pick its decoder. A miss means 'unknown-link-type', 'not-ip' or 'not-tcp'. */

export const linkDecoders: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [lt.LINKTYPE_NULL, decodeNull],
  [lt.LINKTYPE_ETHERNET, decodeEthernet],
  [lt.DLT_RAW_12, decodeRawIp],
  [lt.DLT_RAW_14, decodeRawIp],
  [lt.LINKTYPE_RAW, decodeRawIp],
  [lt.LINKTYPE_LOOP, decodeLoop],
  [lt.LINKTYPE_LINUX_SLL, decodeLinuxSll],
  [lt.LINKTYPE_IPV4, decodeRawIpv4],
  [lt.LINKTYPE_IPV6, decodeRawIpv6],
  [lt.LINKTYPE_IPOIB, decodeIpoib],
  [lt.LINKTYPE_LINUX_SLL2, decodeLinuxSll2],
]);

/** Keyed by ethertype; GRE protocol types share the numbering. */
export const ethertypeDecoders: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [pn.ETHERTYPE_IPV4, decodeIpv4],
  [pn.ETHERTYPE_IPV6, decodeIpv6],
  [pn.ETHERTYPE_VLAN, decodeVlan],
  [pn.ETHERTYPE_QINQ, decodeVlan],
  [pn.ETHERTYPE_VLAN_9100, decodeVlan],
  [pn.ETHERTYPE_PPPOE_SESSION, decodePppoeSession],
  [pn.ETHERTYPE_MPLS_UNICAST, decodeMpls],
  [pn.ETHERTYPE_MPLS_MULTICAST, decodeMpls],
  [pn.ETHERTYPE_TEB, decodeEthernet],
  [pn.ETHERTYPE_ERSPAN_II, decodeErspanII],
  [pn.ETHERTYPE_ERSPAN_III, decodeErspanIII],
]);

export const ipProtocolDecoders: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [pn.IPPROTO_TCP, decodeTcp],
  [pn.IPPROTO_IPIP, decodeIpInIpv4],
  [pn.IPPROTO_IPV6, decodeIpInIpv6],
  [pn.IPPROTO_GRE, decodeGre],
]);
