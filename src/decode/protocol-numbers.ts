/** Ethertypes (also used as GRE protocol types) and IP protocol numbers the decoder routes. */

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard Q-in-Q outer tag some switches still send. */
export const ETHERTYPE_VLAN_9100 = 0x9100;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const ETHERTYPE_MPLS_UNICAST = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
/** Transparent Ethernet bridging: a whole Ethernet frame follows (GRE, NVGRE). */
export const ETHERTYPE_TEB = 0x6558;
export const ETHERTYPE_ERSPAN_II = 0x88be;
export const ETHERTYPE_ERSPAN_III = 0x22eb;

export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_GRE = 47;
