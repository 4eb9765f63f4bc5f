import { internetChecksum } from './checksum';
import { ipPacket } from './ip-packet';
import { linkFrame } from './link-frame';

/** Tunnels around an IP packet; each gives the outer IP packet. Outer addresses default to
 * 192.0.2.1 → 192.0.2.2 (IPv6 outer: give IPv6 addresses). */
export type TunnelSpec = { src?: string; dst?: string } & (
  | { type: 'ipip' }
  | { type: 'gre'; checksum?: boolean; key?: number; seq?: number; version?: number; routing?: boolean }
  /** GRE transparent Ethernet bridging: an Ethernet frame inside. */
  | { type: 'teb'; key?: number }
  /** ERSPAN type I: GRE 0x88be without a sequence number and no ERSPAN header. */
  | { type: 'erspan1' }
  | { type: 'erspan2'; seq?: number; session?: number }
  | { type: 'erspan3'; seq?: number; session?: number; platform?: boolean }
);

const GRE_CHECKSUM = 0x8000;
const GRE_ROUTING = 0x4000;
const GRE_KEY = 0x2000;
const GRE_SEQ = 0x1000;

export function tunnelPacket(t: TunnelSpec, inner: Buffer): Buffer {
  const outer = { src: t.src ?? '192.0.2.1', dst: t.dst ?? '192.0.2.2' };
  const innerType = inner[0] >> 4 === 4 ? 0x0800 : 0x86dd;
  if (t.type === 'ipip') return ipPacket(outer, innerType === 0x0800 ? 4 : 41, inner);
  const ethernet = (): Buffer => linkFrame({ link: 'ether' }, innerType, inner);
  let gre: Buffer;
  if (t.type === 'gre') {
    const flags = (t.checksum ? GRE_CHECKSUM : 0) | (t.routing ? GRE_ROUTING : 0) | (t.version ?? 0);
    gre = greHeader(flags, innerType, t.key, t.seq, inner, t.checksum);
  } else if (t.type === 'teb') {
    gre = greHeader(0, 0x6558, t.key, undefined, ethernet());
  } else if (t.type === 'erspan1') {
    gre = greHeader(0, 0x88be, undefined, undefined, ethernet());
  } else {
    const h = Buffer.alloc(t.type === 'erspan2' ? 8 : t.platform ? 20 : 12);
    h.writeUInt16BE(t.type === 'erspan2' ? 0x1000 : 0x2000, 0); // version, VLAN 0
    h.writeUInt16BE((t.session ?? 1) & 0x3ff, 2);
    if (t.type === 'erspan3' && t.platform) h[11] = 0x01;
    gre = greHeader(0, t.type === 'erspan2' ? 0x88be : 0x22eb, undefined, t.seq ?? 0, Buffer.concat([h, ethernet()]));
  }
  return ipPacket(outer, 47, gre);
}

/** GRE header and payload; key and sequence number present when given. */
function greHeader(flags: number, protocol: number, key: number | undefined, seq: number | undefined,
  payload: Buffer, checksum = false): Buffer {
  const words: number[] = [];
  if (checksum) words.push(0);
  if (key !== undefined) words.push(key);
  if (seq !== undefined) words.push(seq);
  const h = Buffer.alloc(4 + words.length * 4);
  h.writeUInt16BE(flags | (key !== undefined ? GRE_KEY : 0) | (seq !== undefined ? GRE_SEQ : 0), 0);
  h.writeUInt16BE(protocol, 2);
  words.forEach((w, i) => h.writeUInt32BE(w >>> 0, 4 + i * 4));
  const packet = Buffer.concat([h, payload]);
  if (checksum) packet.writeUInt16BE(internetChecksum(packet), 4);
  return packet;
}
