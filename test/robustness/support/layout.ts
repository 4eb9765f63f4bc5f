/** Where the records and blocks of a capture lie: an independent, forgiving walk used to aim
 * mutations at length fields and to say which records a cut capture still holds completely.
 * pcap: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
 * pcapng: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html */

export type LayoutFormat = 'pcap' | 'pcapng' | 'gzip' | 'unknown';

export interface Unit {
  offset: number;
  length: number;
  /** pcapng block type; 0 for a pcap record. */
  type: number;
  littleEndian: boolean;
}

export interface Layout {
  format: LayoutFormat;
  /** pcap: the 24-byte file header; pcapng: 0 (the section header is a unit). */
  headerBytes: number;
  littleEndian: boolean;
  units: Unit[];
  /** Where the walk stopped: the end of the last whole unit. */
  end: number;
}

export const PCAP_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
export const SHB = 0x0a0d0d0a;
export const IDB = 1;
export const PB = 2;
export const SPB = 3;
export const EPB = 6;
export const PACKET_BLOCKS: ReadonlySet<number> = new Set([PB, SPB, EPB]);

const u32 = (b: Buffer, o: number, le: boolean): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));

export function formatOf(b: Buffer): LayoutFormat {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length < 4) return 'unknown';
  const magic = b.readUInt32BE(0);
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d || magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) return 'pcap';
  if (magic === SHB) return 'pcapng';
  return 'unknown';
}

export function layout(b: Buffer): Layout {
  const format = formatOf(b);
  if (format === 'pcap') return pcapLayout(b);
  if (format === 'pcapng') return pcapngLayout(b);
  return { format, headerBytes: 0, littleEndian: true, units: [], end: 0 };
}

function pcapLayout(b: Buffer): Layout {
  const le = b.readUInt32BE(0) === 0xd4c3b2a1 || b.readUInt32BE(0) === 0x4d3cb2a1;
  const units: Unit[] = [];
  let p = PCAP_HEADER_BYTES;
  if (b.length < p) return { format: 'pcap', headerBytes: PCAP_HEADER_BYTES, littleEndian: le, units, end: 0 };
  while (p + PCAP_RECORD_HEADER_BYTES <= b.length) {
    const length = PCAP_RECORD_HEADER_BYTES + u32(b, p + 8, le);
    if (p + length > b.length) break;
    units.push({ offset: p, length, type: 0, littleEndian: le });
    p += length;
  }
  return { format: 'pcap', headerBytes: PCAP_HEADER_BYTES, littleEndian: le, units, end: p };
}

function pcapngLayout(b: Buffer): Layout {
  const units: Unit[] = [];
  let le = true;
  let first = true;
  let p = 0;
  while (p + 12 <= b.length) {
    if (b.readUInt32LE(p) === SHB) {
      const magic = b.readUInt32LE(p + 8);
      if (magic === 0x1a2b3c4d) le = true;
      else if (magic === 0x4d3c2b1a) le = false;
      else break;
    }
    const type = u32(b, p, le);
    const length = u32(b, p + 4, le);
    if (length < 12 || length % 4 !== 0 || p + length > b.length) break;
    if (u32(b, p + length - 4, le) !== length) break;
    units.push({ offset: p, length, type, littleEndian: le });
    if (first) first = false;
    p += length;
  }
  return { format: 'pcapng', headerBytes: 0, littleEndian: units[0]?.littleEndian ?? true, units, end: p };
}

/** Packet records whose bytes all lie before `cut` (what a reader must deliver from a cut file),
 * for a well-formed pcap whose records fit its limits. */
export function wholePcapRecordsBefore(l: Layout, cut: number): number {
  return l.units.filter((u) => u.offset + u.length <= cut).length;
}
