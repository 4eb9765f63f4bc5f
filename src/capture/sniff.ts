/** Decides what a stream holds from its first bytes, never from a file name. */

export type Sniffed =
  | { kind: 'gzip' }
  | { kind: 'pcap'; byteOrder: 'LE' | 'BE'; nanos: boolean }
  | { kind: 'pcapng' }
  | { kind: 'unknown' };

/** Bytes needed to decide (gzip needs only 2). */
export const SNIFF_BYTES = 4;

// https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html#section-4 (magic), RFC 1952 (gzip)
const MAGICS: Record<string, Sniffed> = {
  a1b2c3d4: { kind: 'pcap', byteOrder: 'BE', nanos: false },
  d4c3b2a1: { kind: 'pcap', byteOrder: 'LE', nanos: false },
  a1b23c4d: { kind: 'pcap', byteOrder: 'BE', nanos: true },
  '4d3cb2a1': { kind: 'pcap', byteOrder: 'LE', nanos: true },
  '0a0d0d0a': { kind: 'pcapng' },
};

export function sniff(head: Buffer): Sniffed {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head.length < SNIFF_BYTES) return { kind: 'unknown' };
  return MAGICS[head.toString('hex', 0, SNIFF_BYTES)] ?? { kind: 'unknown' };
}

/** "1f 8b 00 41" for messages. */
export function hexBytes(head: Buffer): string {
  return [...head.subarray(0, SNIFF_BYTES)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
