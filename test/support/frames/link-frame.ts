/** Link layers (and the VLAN / PPPoE / MPLS shims between them and IP) around a packet. */

export type LinkName = 'ether' | 'sll' | 'sll2' | 'null' | 'loop' | 'raw' | 'ipoib';

/** The LINKTYPE to store a frame of each kind with. */
export const LINKTYPE: Readonly<Record<LinkName, number>> = {
  ether: 1, sll: 113, sll2: 276, null: 0, loop: 108, raw: 101, ipoib: 242,
};

export interface LinkSpec {
  link?: LinkName;
  srcMac?: string;
  dstMac?: string;
  /** VLAN TCIs (id, plus priority bits if wanted), outermost first. */
  vlan?: number[];
  /** Tag protocol of each VLAN tag; 0x8100 where not given. */
  vlanTpids?: number[];
  pppoe?: { session?: number; length?: number };
  /** MPLS labels, outermost first (the last gets bottom-of-stack). */
  mpls?: number[];
  /** NULL/LOOP address family instead of the one the IP version implies. */
  family?: number;
  nullByteOrder?: 'le' | 'be';
  sll?: { packetType?: number; hatype?: number; addr?: Buffer };
}

const IPV4 = 0x0800;
const IPV6 = 0x86dd;

function mac(text: string): Buffer {
  return Buffer.from(text.split(':').map((h) => parseInt(h, 16)));
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** Wraps `payload` (of protocol `ethertype`) in the shims then the link header `spec` asks for. */
export function linkFrame(spec: LinkSpec, ethertype: number, payload: Buffer): Buffer {
  let type = ethertype;
  let body = payload;
  const mpls = spec.mpls;
  if (mpls !== undefined) {
    // Label, traffic class 0, bottom-of-stack on the last entry, TTL 64.
    const labels = mpls.map((label, i) => {
      const entry = Buffer.alloc(4);
      entry.writeUInt32BE(((label << 12) | (i === mpls.length - 1 ? 0x100 : 0) | 64) >>> 0);
      return entry;
    });
    [type, body] = [0x8847, Buffer.concat([...labels, body])];
  }
  if (spec.pppoe !== undefined) {
    const h = Buffer.from([0x11, 0, 0, 0, 0, 0, 0, 0]);
    h.writeUInt16BE(spec.pppoe.session ?? 1, 2);
    h.writeUInt16BE(spec.pppoe.length ?? body.length + 2, 4);
    h.writeUInt16BE(type === IPV6 ? 0x0057 : type === IPV4 ? 0x0021 : type, 6);
    [type, body] = [0x8864, Buffer.concat([h, body])];
  }
  const tags = spec.vlan ?? [];
  for (let i = tags.length - 1; i >= 0; i--) {
    [type, body] = [spec.vlanTpids?.[i] ?? 0x8100, Buffer.concat([u16(tags[i]), u16(type), body])];
  }
  return Buffer.concat([linkHeader(spec, type, body), body]);
}

function linkHeader(spec: LinkSpec, type: number, body: Buffer): Buffer {
  const link = spec.link ?? 'ether';
  if (link === 'ether') {
    return Buffer.concat([mac(spec.dstMac ?? '02:00:00:00:00:02'), mac(spec.srcMac ?? '02:00:00:00:00:01'), u16(type)]);
  }
  if (link === 'sll' || link === 'sll2') {
    const addr = spec.sll?.addr ?? mac(spec.srcMac ?? '02:00:00:00:00:01');
    const h = Buffer.alloc(link === 'sll' ? 16 : 20);
    if (link === 'sll') {
      h.writeUInt16BE(spec.sll?.packetType ?? 0, 0);
      h.writeUInt16BE(spec.sll?.hatype ?? 1, 2);
      h.writeUInt16BE(addr.length, 4);
      addr.copy(h, 6);
      h.writeUInt16BE(type, 14);
    } else {
      h.writeUInt16BE(type, 0);
      h.writeUInt32BE(1, 4); // interface index
      h.writeUInt16BE(spec.sll?.hatype ?? 1, 8);
      h[10] = spec.sll?.packetType ?? 0;
      h[11] = addr.length;
      addr.copy(h, 12);
    }
    return h;
  }
  if (link === 'ipoib') return Buffer.concat([Buffer.alloc(40), u16(type), Buffer.alloc(2)]);
  if (type !== IPV4 && type !== IPV6) throw new Error(`${link} frames carry only IP`);
  if (link === 'raw') return Buffer.alloc(0);
  const family = spec.family ?? (body[0] >> 4 === 4 ? 2 : 24);
  const h = Buffer.alloc(4);
  if (link === 'loop' || spec.nullByteOrder === 'be') h.writeUInt32BE(family);
  else h.writeUInt32LE(family);
  return h;
}
