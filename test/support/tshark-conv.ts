import { readFileSync } from 'node:fs';

/** One row of `tshark -q -z conv,tcp`. A is the conversation's first source; "->" is A → B. */
export interface TsharkConversation {
  a: string;
  b: string;
  framesAtoB: number;
  bytesAtoB: ByteCount;
  framesBtoA: number;
  bytesBtoA: ByteCount;
  relativeStart: number;
  duration: number;
}

/** tshark prints exact bytes below 10,000 and truncated SI units above (12,881 bytes: "12 kB"). */
export interface ByteCount {
  value: number;
  unit: 'bytes' | 'kB' | 'MB' | 'GB';
}

const UNIT: Record<ByteCount['unit'], number> = { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9 };

export function byteCountMatches(expected: ByteCount, actual: number): boolean {
  if (expected.unit === 'bytes') return expected.value === actual;
  return Math.floor(actual / UNIT[expected.unit]) === expected.value;
}

/** "ip:port" with IPv6 unbracketed, as tshark prints it, → our "ip:port" / "[ip]:port". */
function endpoint(text: string): string {
  const i = text.lastIndexOf(':');
  const addr = text.slice(0, i);
  return addr.includes(':') ? `[${addr}]:${text.slice(i + 1)}` : text;
}

export function readTsharkConversations(path: string): TsharkConversation[] {
  const rows: TsharkConversation[] = [];
  const re = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+(\d+)\s+(\d+)\s+(bytes|kB|MB|GB)\s+\d+\s+\d+\s+(?:bytes|kB|MB|GB)\s+(-?[\d.]+)\s+(-?[\d.]+)/;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = re.exec(line.replace(/,/g, ''));
    if (!m) continue;
    rows.push({
      a: endpoint(m[1]),
      b: endpoint(m[2]),
      framesBtoA: Number(m[3]),
      bytesBtoA: { value: Number(m[4]), unit: m[5] as ByteCount['unit'] },
      framesAtoB: Number(m[6]),
      bytesAtoB: { value: Number(m[7]), unit: m[8] as ByteCount['unit'] },
      relativeStart: Number(m[9]),
      duration: Number(m[10]),
    });
  }
  return rows;
}
