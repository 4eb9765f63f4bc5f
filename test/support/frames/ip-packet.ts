import { internetChecksum } from './checksum';
import { ipBytes } from './ip-address';

/** IPv6 extension headers by name, with their Next Header numbers. */
const EXTENSION_NUMBERS = {
  hop: 0, routing: 43, fragment: 44, ah: 51, dst: 60, mobility: 135, hip: 139, shim6: 140, exp1: 253, exp2: 254,
} as const;

export interface Ipv6Ext {
  type: keyof typeof EXTENSION_NUMBERS;
  /** Header size in bytes (a multiple of 8; of 4 for AH). Default 8 (AH 16). */
  length?: number;
  /** Written into the Hdr Ext Len byte instead of the value `length` implies. */
  lengthField?: number;
  /** Fragment header fields. */
  offset?: number;
  more?: boolean;
}

export interface IpSpec {
  /** IPv6 when the address has a colon. */
  src?: string;
  dst?: string;
  ttl?: number;
  ipId?: number;
  dontFragment?: boolean;
  ipv4Options?: Buffer;
  /** IPv4 fragment offset (8-byte units) and More Fragments bit. */
  fragment?: { offset: number; more: boolean };
  /** Written instead of the real IPv4 total length / IPv6 payload length. */
  ipLength?: number;
  /** Written instead of the real IPv4 header length, in 4-byte words. */
  ihl?: number;
  ipv6Ext?: Ipv6Ext[];
}

export function ipAddresses(spec: IpSpec): [Buffer, Buffer] {
  return [ipBytes(spec.src ?? '10.0.0.1'), ipBytes(spec.dst ?? '10.0.0.2')];
}

/** An IPv4 or IPv6 packet (by the address family of `src`) around `payload`. */
export function ipPacket(spec: IpSpec, protocol: number, payload: Buffer): Buffer {
  const [src, dst] = ipAddresses(spec);
  return src.length === 4 ? ipv4(spec, src, dst, protocol, payload) : ipv6(spec, src, dst, protocol, payload);
}

function ipv4(spec: IpSpec, src: Buffer, dst: Buffer, protocol: number, payload: Buffer): Buffer {
  const options = spec.ipv4Options ?? Buffer.alloc(0);
  const h = Buffer.alloc(20 + options.length);
  h[0] = 0x40 | (spec.ihl ?? h.length / 4);
  h.writeUInt16BE(spec.ipLength ?? h.length + payload.length, 2);
  h.writeUInt16BE(spec.ipId ?? 0, 4);
  const frag = spec.fragment ?? { offset: 0, more: false };
  h.writeUInt16BE(((spec.dontFragment ?? true) ? 0x4000 : 0) | (frag.more ? 0x2000 : 0) | frag.offset, 6);
  h[8] = spec.ttl ?? 64;
  h[9] = protocol;
  src.copy(h, 12);
  dst.copy(h, 16);
  options.copy(h, 20);
  h.writeUInt16BE(internetChecksum(h), 10);
  return Buffer.concat([h, payload]);
}

function ipv6(spec: IpSpec, src: Buffer, dst: Buffer, protocol: number, payload: Buffer): Buffer {
  const exts = spec.ipv6Ext ?? [];
  const numbers = [...exts.map((e) => EXTENSION_NUMBERS[e.type]), protocol];
  const body = Buffer.concat([...exts.map((e, i) => extension(e, numbers[i + 1])), payload]);
  const h = Buffer.alloc(40);
  h[0] = 0x60;
  h.writeUInt16BE(spec.ipLength ?? body.length, 4);
  h[6] = numbers[0];
  h[7] = spec.ttl ?? 64;
  src.copy(h, 8);
  dst.copy(h, 24);
  return Buffer.concat([h, body]);
}

function extension(e: Ipv6Ext, next: number): Buffer {
  if (e.type === 'fragment') {
    const f = Buffer.alloc(8);
    f[0] = next;
    f.writeUInt16BE(((e.offset ?? 0) << 3) | (e.more ? 1 : 0), 2);
    return f;
  }
  const ah = e.type === 'ah';
  const b = Buffer.alloc(e.length ?? (ah ? 16 : 8));
  b[0] = next;
  b[1] = e.lengthField ?? (ah ? b.length / 4 - 2 : b.length / 8 - 1);
  return b;
}
