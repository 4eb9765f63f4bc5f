import { isIPv4, isIPv6 } from 'node:net';

/** Address text to bytes: dotted IPv4, and IPv6 in every RFC 4291 form ("::", "::ffff:1.2.3.4"). */
export function ipBytes(text: string): Buffer {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (isIPv6(text)) return ipv6Bytes(text);
  throw new Error(`not an IP address: ${text}`);
}

function ipv6Bytes(text: string): Buffer {
  const out = Buffer.alloc(16);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  left.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  right.forEach((g, i) => out.writeUInt16BE(g, 16 - (right.length - i) * 2));
  return out;
}

/** Hex groups, with a trailing dotted IPv4 counted as two groups. */
function groups(part: string): number[] {
  if (part === '') return [];
  return part.split(':').flatMap((g) => {
    if (!g.includes('.')) return [parseInt(g, 16)];
    const [a, b, c, d] = g.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
}
