/** Where each arrow, gap and state of a ladder diagram goes, top to bottom. Rows are evenly spaced
 * (as in Wireshark's flow graph); only long silences get a row of their own, labelled with their length. */
import { seqDiff } from '../../flow/seq';
import type { TcpState } from '../../tcp/tcp-state';
import type { ConnectionJson, Role } from '../report-model';
import type { ConnectionPackets, LadderPacket } from './ladder-packets';

/** A silence at least this long is drawn as a compressed gap. */
export const GAP_S = 1;
const TOP_Y = 56;
export const ROW_H = 30;
/** How far an arrow drops from sender to receiver. */
export const SLOPE = 12;

export type LadderRow =
  | { kind: 'packet'; y: number; packet: LadderPacket; relSeq: number; relAck: number | null }
  | { kind: 'gap'; y: number; seconds: number }
  | { kind: 'omitted'; y: number; count: number; seconds: number };

export interface StateSpan {
  side: Role;
  state: TcpState;
  inferred: boolean;
  from: number;
  to: number;
}

export interface LadderLayout {
  rows: LadderRow[];
  states: StateSpan[];
  height: number;
}

export function layoutLadder(conn: ConnectionJson, packets: ConnectionPackets): LadderLayout {
  const all = [...packets.head, ...packets.tail];
  const base = { client: isn(conn, all, 'client'), server: isn(conn, all, 'server') };
  const rows: LadderRow[] = [];
  let y = TOP_Y;
  let previous: LadderPacket | undefined;
  const omitted = packets.total - all.length;
  for (const p of all) {
    if (previous && p === packets.tail[0] && omitted > 0) {
      rows.push({ kind: 'omitted', y, count: omitted, seconds: p.at - previous.at });
      y += ROW_H;
    } else if (previous && p.at - previous.at >= GAP_S) {
      rows.push({ kind: 'gap', y, seconds: p.at - previous.at });
      y += ROW_H;
    }
    const peer = base[p.from === 'client' ? 'server' : 'client'];
    rows.push({
      kind: 'packet', y, packet: p, relSeq: relative(base[p.from], p.seq),
      relAck: p.ack === null ? null : relative(peer, p.ack),
    });
    y += ROW_H;
    previous = p;
  }
  const bottom = y;
  return { rows, states: [...stateSpans(conn, rows, 'client', bottom), ...stateSpans(conn, rows, 'server', bottom)], height: bottom + 10 };
}

/** Wireshark's relative numbers: the SYN is 0; without a SYN, the first packet seen is. */
function isn(conn: ConnectionJson, packets: LadderPacket[], side: Role): number | null {
  const syn = conn.events.find((e) => e.by === side && (e.type === 'syn' || e.type === 'syn-ack'));
  return syn?.seq ?? packets.find((p) => p.from === side)?.seq ?? null;
}

function relative(base: number | null, n: number): number {
  return base === null ? n : seqDiff(base, n);
}

/** Each state from the row that showed it (for the receiver, where the arrow lands) to the next. */
function stateSpans(conn: ConnectionJson, rows: LadderRow[], side: Role, bottom: number): StateSpan[] {
  const packetRows = rows.filter((r): r is Extract<LadderRow, { kind: 'packet' }> => r.kind === 'packet');
  const yOf = (frame: number): number => {
    const row = packetRows.find((r) => r.packet.frame >= frame);
    if (!row) return bottom;
    return row.packet.from === side || row.packet.frame !== frame ? row.y : row.y + SLOPE;
  };
  const changes = conn.states[side];
  return changes.map((s, i) => ({
    side, state: s.state, inferred: s.inferred === true,
    from: yOf(s.frame),
    to: i + 1 < changes.length ? yOf(changes[i + 1].frame) : bottom,
  }));
}
