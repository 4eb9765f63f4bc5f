import { decodePacket } from '../../src/decode/decode-packet';
import { newTcpPacket, type SkipReason, type TcpPacket } from '../../src/decode/tcp-packet';

/** What a test compares: the decoded segment with addresses as text. */
export interface Decoded {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  payloadLen: number;
  ipLen: number;
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  ts: [number, number] | null;
}

const out = newTcpPacket();

/** Decodes one frame; origLen defaults to the frame length (no snaplen). */
export function decode(linkType: number, data: Buffer, origLen = data.length): Decoded | SkipReason {
  const reason = decodePacket(linkType, data, origLen, out);
  return reason ?? view(out);
}

export function view(p: TcpPacket): Decoded {
  return {
    ipVersion: p.ipVersion,
    src: addressText(p.bytes.subarray(p.srcOffset, p.srcOffset + p.addrLen)),
    dst: addressText(p.bytes.subarray(p.dstOffset, p.dstOffset + p.addrLen)),
    sport: p.srcPort, dport: p.dstPort, seq: p.seq, ack: p.ack, flags: p.flags, window: p.window,
    payloadLen: p.payloadLen, ipLen: p.ipLen, mss: p.mss, windowScale: p.windowScale,
    sackPermitted: p.sackPermitted, ts: p.hasTimestamp ? [p.tsVal, p.tsEcr] : null,
  };
}

/** Dotted IPv4, or IPv6 groups in lowercase hex with the longest zero run as "::" (RFC 5952). */
export function addressText(a: Buffer): string {
  if (a.length === 4) return a.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(a.readUInt16BE(i).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** "10.0.0.1 40000 > 10.0.0.2 80" for compact expectations. */
export function tuple(d: Decoded | SkipReason): string {
  if (typeof d === 'string') return d;
  return `${d.src} ${d.sport} > ${d.dst} ${d.dport}`;
}
