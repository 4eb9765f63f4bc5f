import { internetChecksum, pseudoHeader } from './checksum';

export interface TcpSpec {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** Flag letters: S A F R P U E(CE) C(WR) N(S). */
  flags?: string;
  window?: number;
  /** Payload bytes, or a length of zero bytes. */
  payload?: number | Buffer;
  mss?: number;
  wscale?: number;
  sackOk?: boolean;
  ts?: [number, number];
  /** Raw option bytes added after the named options (the header is padded to 4 bytes). */
  tcpOptions?: Buffer;
  /** Written into the data-offset field instead of the real header length (broken headers). */
  dataOffset?: number;
}

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80, N: 0x100 };

export function flagBits(letters: string): number {
  let bits = 0;
  for (const c of letters) {
    if (FLAG_BITS[c] === undefined) throw new Error(`unknown TCP flag letter ${c}`);
    bits |= FLAG_BITS[c];
  }
  return bits;
}

/** Options in the order and padding Linux writes them (tcp_options_write). */
function options(spec: TcpSpec): Buffer {
  const parts: number[] = [];
  if (spec.mss !== undefined) parts.push(2, 4, spec.mss >> 8, spec.mss & 0xff);
  if (spec.ts !== undefined) {
    parts.push(...(spec.sackOk ? [4, 2] : [1, 1]), 8, 10);
    const t = Buffer.alloc(8);
    t.writeUInt32BE(spec.ts[0] >>> 0, 0);
    t.writeUInt32BE(spec.ts[1] >>> 0, 4);
    parts.push(...t);
  }
  if (spec.wscale !== undefined) parts.push(1, 3, 3, spec.wscale);
  if (spec.sackOk && spec.ts === undefined) parts.push(1, 1, 4, 2);
  const raw = Buffer.concat([Buffer.from(parts), spec.tcpOptions ?? Buffer.alloc(0)]);
  return Buffer.concat([raw, Buffer.alloc((4 - (raw.length % 4)) % 4)]);
}

export function payloadBytes(payload: number | Buffer | undefined): Buffer {
  if (payload === undefined) return Buffer.alloc(0);
  return typeof payload === 'number' ? Buffer.alloc(payload) : payload;
}

/** A TCP segment with a valid checksum for the given address bytes. */
export function tcpSegment(spec: TcpSpec, src: Buffer, dst: Buffer): Buffer {
  const opts = options(spec);
  const header = Buffer.alloc(20 + opts.length);
  const flags = flagBits(spec.flags ?? 'A');
  header.writeUInt16BE(spec.sport ?? 40000, 0);
  header.writeUInt16BE(spec.dport ?? 80, 2);
  header.writeUInt32BE((spec.seq ?? 1000) >>> 0, 4);
  header.writeUInt32BE((spec.ack ?? 0) >>> 0, 8);
  header[12] = ((spec.dataOffset ?? header.length / 4) << 4) | (flags >> 8);
  header[13] = flags & 0xff;
  header.writeUInt16BE(spec.window ?? 65535, 14);
  opts.copy(header, 20);
  const segment = Buffer.concat([header, payloadBytes(spec.payload)]);
  segment.writeUInt16BE(internetChecksum(pseudoHeader(src, dst, 6, segment.length), segment), 16);
  return segment;
}
