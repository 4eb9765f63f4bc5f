/** LINKTYPE_* values from https://www.tcpdump.org/linktypes.html that the decoder routes. */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** DLT_RAW: libpcap writes 101, but some platforms' DLT_RAW value (12 or 14) leaks into files. */
export const LINKTYPE_RAW = 101;
export const DLT_RAW_12 = 12;
export const DLT_RAW_14 = 14;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_IPOIB = 242;
export const LINKTYPE_LINUX_SLL2 = 276;
