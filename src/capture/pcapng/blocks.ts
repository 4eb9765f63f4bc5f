/** pcapng block layout: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html#section-3.1
 * Every block is: type u32, total length u32, body, total length u32 again. */

export const BLOCK_HEADER_BYTES = 12;
export const SHB = 0x0a0d0d0a;
export const IDB = 0x00000001;
/** Obsolete Packet Block. */
export const PB = 0x00000002;
export const SPB = 0x00000003;
export const EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The magic of a big-endian section, read little-endian. */
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Smallest total length of the blocks we read (fixed fields + both length words). */
export const MIN_BLOCK_BYTES: ReadonlyMap<number, number> = new Map([
  [SHB, 28],
  [IDB, 20],
  [PB, 32],
  [SPB, 16],
  [EPB, 32],
]);

/** Blocks Wireshark returns as frames of their own (systemd journal export, sysdig events): we skip
 * them, but count them so our frame numbers stay Wireshark's. (Wireshark also shows some Netflix
 * BBLog custom blocks as frames; telling those apart needs their PEN parsing, and we don't.) */
export const NON_PACKET_FRAME_BLOCKS: ReadonlySet<number> = new Set([0x9, 0x204, 0x208, 0x216, 0x217, 0x221, 0x222]);

export function blockName(type: number): string {
  switch (type) {
    case SHB: return 'section header';
    case IDB: return 'interface description';
    case PB: return 'packet';
    case SPB: return 'simple packet';
    case EPB: return 'enhanced packet';
    default: return `type 0x${type.toString(16)}`;
  }
}
