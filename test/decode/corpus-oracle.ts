import { readFileSync } from 'node:fs';
import { type Decoded } from './decode-helper';
import { ipBytes } from '../support/packet-builder';

/** One frame as tshark 4.0.17 dissected it (oracle/<capture>.flags.tsv). */
export interface OracleFrame {
  frame: number;
  ipSrc: string;
  ipv6Src: string;
  ipDst: string;
  ipv6Dst: string;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
  /** Empty when tshark could not compute it (bogus header length). */
  len: string;
}

export function readOracle(path: string): Map<number, OracleFrame> {
  const frames = new Map<number, OracleFrame>();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    if (line === '') continue;
    const f = line.split('\t');
    frames.set(Number(f[0]), {
      frame: Number(f[0]), ipSrc: f[3], ipv6Src: f[4], sport: Number(f[5]), ipDst: f[6], ipv6Dst: f[7],
      dport: Number(f[8]), flags: flagsFromString(f[9]), seq: Number(f[10]), ack: Number(f[11]), len: f[12],
    });
  }
  return frames;
}

/** tcp.flags.str: 12 characters, '·' for a clear bit: 3 reserved, AE(NS), CWR, ECE, URG, ACK, PSH,
 * RST, SYN, FIN. The reserved bits are not decoded, so they are not compared. */
function flagsFromString(s: string): number {
  let bits = 0;
  for (let i = 3; i < 12; i++) if (s[i] !== '·') bits |= 1 << (11 - i);
  return bits;
}

/** Tunnels list outer,inner: the innermost address is the one that names the connection. */
function innermost(list: string): Buffer {
  const all = list.split(',');
  return ipBytes(all[all.length - 1]);
}

/** The fields that differ between our decode and tshark's, as "field: ours != tshark's". */
export function differences(got: Decoded, want: OracleFrame): string[] {
  const v4 = got.ipVersion === 4;
  const diffs: string[] = [];
  const check = (field: string, ours: unknown, theirs: unknown): void => {
    if (ours !== theirs) diffs.push(`${field}: ${String(ours)} != ${String(theirs)}`);
  };
  check('src', ipBytes(got.src).toString('hex'), innermost(v4 ? want.ipSrc : want.ipv6Src).toString('hex'));
  check('dst', ipBytes(got.dst).toString('hex'), innermost(v4 ? want.ipDst : want.ipv6Dst).toString('hex'));
  check('sport', got.sport, want.sport);
  check('dport', got.dport, want.dport);
  check('flags', got.flags, want.flags);
  check('seq', got.seq, want.seq);
  // tshark prints ack_raw whatever the flags; without ACK the field is junk.
  if ((want.flags & 0x10) !== 0) check('ack', got.ack, want.ack);
  check('len', String(got.payloadLen), want.len);
  return diffs;
}
