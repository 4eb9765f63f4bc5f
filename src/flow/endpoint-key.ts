/** Connection keys without string building: a 32-bit hash that is the same in both directions
 * (like gopacket's FastHash), confirmed by comparing the address bytes. */

/** FNV-1a over the address bytes and port of one endpoint. */
function hashEndpoint(bytes: Buffer, offset: number, len: number, port: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ bytes[offset + i], 0x01000193);
  h = Math.imul(h ^ (port & 0xff), 0x01000193);
  return Math.imul(h ^ (port >>> 8), 0x01000193);
}

/** Symmetric: hash(a→b) === hash(b→a). */
export function hashTuple(bytes: Buffer, srcOffset: number, dstOffset: number, len: number,
  srcPort: number, dstPort: number): number {
  const a = hashEndpoint(bytes, srcOffset, len, srcPort);
  const b = hashEndpoint(bytes, dstOffset, len, dstPort);
  // Order-independent mix: sum and product of the two halves; then murmur3's finalizer, because the
  // flow table's buckets are the hash's low bits and a product's low bits see only its factors' low bits.
  let h = (a + b) ^ Math.imul(a, b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** An address as it is kept per connection: its 4 or 16 bytes as a one-byte string (one char per byte).
 * A Buffer per address cost 96 bytes of object for 4 bytes of address, two per connection. */
export type AddressBytes = string;

/** The address bytes at `offset` in `bytes`. */
export function addressBytes(bytes: Buffer, offset: number, len: number): AddressBytes {
  return bytes.toString('latin1', offset, offset + len);
}

export function sameAddress(a: AddressBytes, b: Buffer, bOffset: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a.charCodeAt(i) !== b[bOffset + i]) return false;
  return true;
}

/** "ip:port", IPv6 as "[addr]:port" (RFC 5952 compressed). */
export function formatEndpoint(addr: AddressBytes, port: number): string {
  return joinEndpoint(formatAddress(addr), addr.length === 4, port);
}

/** The address part of "ip:port" or "[ip6]:port". */
export function endpointHost(endpoint: string): string {
  return endpoint.slice(0, endpoint.lastIndexOf(':'));
}

/** The port of "ip:port" or "[ip6]:port". */
export function endpointPort(endpoint: string): number {
  return Number(endpoint.slice(endpoint.lastIndexOf(':') + 1));
}

/** "ip:port" from an address formatted already, "[ip6]:port" for IPv6. */
export function joinEndpoint(address: string, ipv4: boolean, port: number): string {
  return ipv4 ? `${address}:${port}` : `[${address}]:${port}`;
}

export function formatAddress(addr: AddressBytes): string {
  return addr.length === 4 ? formatIPv4(addr) : formatIPv6(addr);
}

function formatIPv4(a: AddressBytes): string {
  return `${a.charCodeAt(0)}.${a.charCodeAt(1)}.${a.charCodeAt(2)}.${a.charCodeAt(3)}`;
}

function formatIPv6(a: AddressBytes): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((a.charCodeAt(i) << 8) | a.charCodeAt(i + 1));
  // Longest run of two or more zero words becomes "::" (first one on ties).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
