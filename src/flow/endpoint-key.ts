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
  // Order-independent mix: sum and product of the two halves.
  return ((a + b) ^ Math.imul(a, b)) >>> 0;
}

export function sameAddress(a: Buffer, b: Buffer, bOffset: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let i = 0; i < len; i++) if (a[i] !== b[bOffset + i]) return false;
  return true;
}

/** "ip:port", IPv6 as "[addr]:port" (RFC 5952 compressed). */
export function formatEndpoint(addr: Buffer, port: number): string {
  return joinEndpoint(formatAddress(addr), addr.length === 4, port);
}

/** "ip:port" from an address formatted already, "[ip6]:port" for IPv6. */
export function joinEndpoint(address: string, ipv4: boolean, port: number): string {
  return ipv4 ? `${address}:${port}` : `[${address}]:${port}`;
}

export function formatAddress(addr: Buffer): string {
  return addr.length === 4 ? formatIPv4(addr) : formatIPv6(addr);
}

function formatIPv4(a: Buffer): string {
  return `${a[0]}.${a[1]}.${a[2]}.${a[3]}`;
}

function formatIPv6(a: Buffer): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((a[i] << 8) | a[i + 1]);
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
