import * as lt from './link-types';

/** Short names for link types in reports, after libpcap's LINKTYPE_ names. Link types the
 * decoder does not route are named too when common, so "unknown-link-type" says what it was. */
const NAMES: ReadonlyMap<number, string> = new Map([
  [lt.LINKTYPE_NULL, 'null'],
  [lt.LINKTYPE_ETHERNET, 'ethernet'],
  [lt.DLT_RAW_12, 'raw'],
  [lt.DLT_RAW_14, 'raw'],
  [lt.LINKTYPE_RAW, 'raw'],
  [lt.LINKTYPE_LOOP, 'loop'],
  [lt.LINKTYPE_LINUX_SLL, 'linux-sll'],
  [lt.LINKTYPE_IPV4, 'ipv4'],
  [lt.LINKTYPE_IPV6, 'ipv6'],
  [lt.LINKTYPE_IPOIB, 'ipoib'],
  [lt.LINKTYPE_LINUX_SLL2, 'linux-sll2'],
  [9, 'ppp'],
  [50, 'ppp-hdlc'],
  [104, 'c-hdlc'],
  [105, 'ieee802-11'],
  [127, 'ieee802-11-radiotap'],
  [192, 'ppi'],
  [201, 'bluetooth-hci-h4-with-phdr'],
  [220, 'usb-linux-mmapped'],
  [253, 'netlink'],
]);

export function linkTypeName(linkType: number): string {
  return NAMES.get(linkType) ?? `linktype-${linkType}`;
}
