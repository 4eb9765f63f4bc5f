/**
 * Readers for the shared corpus oracles: tshark's per-frame flags.tsv and Zeek's baseline logs
 * (paths: ./corpus). See the corpus README for how each file was made.
 */
import { readFileSync } from 'node:fs';
import {
  TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG,
} from '../../src/decode/tcp-packet';

/** One TCP frame as tshark printed it. Addresses are the innermost IP header's. */
export interface FlagsRow {
  frame: number;
  /** frame.time_epoch, seconds. */
  ts: number;
  /** tcp.stream, or -1 when empty. */
  stream: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** TCP_* bits from src/decode/tcp-packet (NS/AE as 0x100; the 3 reserved bits dropped). */
  flags: number;
  seq: number;
  ack: number;
  /** tcp.len: payload bytes. */
  len: number;
}

/** tcp.flags.str order after the 3 reserved bits: AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN. */
const FLAG_STR_BITS = [0x100, TCP_CWR, TCP_ECE, TCP_URG, TCP_ACK, TCP_PSH, TCP_RST, TCP_SYN, TCP_FIN];

/** tcp.flags.str (12 chars, U+00B7 for an unset flag) to TCP_* bits. */
export function tcpFlagsFromString(s: string): number {
  const chars = [...s];
  let bits = 0;
  for (let i = 0; i < FLAG_STR_BITS.length; i++) {
    if (chars[3 + i] !== '\u00b7') bits |= FLAG_STR_BITS[i];
  }
  return bits;
}

/** With tunnels tshark lists every header's address, outermost first; IPv6 wins over an outer IPv4. */
function innermost(v4: string, v6: string): string {
  const list = (v6 !== '' ? v6 : v4).split(',');
  return list[list.length - 1];
}

/** Reads a `<capture>.flags.tsv` (or a variant such as `.flags-teredo-heuristic.tsv`). */
export function readFlagsTsv(path: string): FlagsRow[] {
  const rows: FlagsRow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split('\t');
    rows.push({
      frame: Number(f[0]),
      ts: Number(f[1]),
      stream: f[2] === '' ? -1 : Number(f[2]),
      src: innermost(f[3], f[4]),
      srcPort: Number(f[5]),
      dst: innermost(f[6], f[7]),
      dstPort: Number(f[8]),
      flags: tcpFlagsFromString(f[9]),
      seq: Number(f[10]),
      ack: Number(f[11]),
      len: Number(f[12]),
    });
  }
  return rows;
}

/** A Zeek log: field names and one string record per row ('-' is Zeek's unset value). */
export interface ZeekLog {
  fields: string[];
  rows: Array<Record<string, string>>;
}

/**
 * Reads a Zeek ASCII log: either a full log with a `#fields` line, or a zeek-cut subset whose first
 * non-comment line names the columns. btest's `###` banner and `#` meta lines are skipped.
 */
export function readZeekLog(path: string): ZeekLog {
  let fields: string[] | null = null;
  const rows: Array<Record<string, string>> = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#fields\t')) {
      fields = line.split('\t').slice(1);
      continue;
    }
    if (line.startsWith('#')) continue;
    const values = line.split('\t');
    if (fields === null) {
      fields = values;
      continue;
    }
    const row: Record<string, string> = {};
    fields.forEach((name, i) => (row[name] = values[i] ?? '-'));
    rows.push(row);
  }
  return { fields: fields ?? [], rows };
}

/** Reads a `*.zeek-history-connstate.txt`: lines `history, conn_state` under a `#` provenance comment. */
export function readHistoryConnState(path: string): Array<{ history: string; connState: string }> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [history, connState] = line.split(', ');
      return { history, connState };
    });
}
