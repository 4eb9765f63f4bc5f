/** The packets a ladder diagram draws: every packet of the connection read back from the capture, or,
 * when the capture cannot be read twice (standard input), the teardown events of the report. */
import { TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../decode/tcp-packet';
import type { ConnEventType } from '../../tcp/events';
import type { ConnectionJson, Role } from '../report-model';

export interface LadderPacket {
  frame: number;
  at: number;
  from: Role;
  /** "SYN, ACK" for packets; what the event was for events. */
  label: string;
  /** Raw numbers; ack is null when the ACK flag is clear. */
  seq: number;
  ack: number | null;
  len: number;
  window: number | null;
}

/** A connection's packets, the middle left out past a cap: the handshake and the teardown are what matter. */
export interface ConnectionPackets {
  source: 'capture' | 'events';
  head: LadderPacket[];
  tail: LadderPacket[];
  /** Packets in the connection, drawn or not. */
  total: number;
}

/** Wireshark's order: [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR]. */
const FLAG_NAMES: [number, string][] = [
  [TCP_FIN, 'FIN'], [TCP_SYN, 'SYN'], [TCP_RST, 'RST'], [TCP_PSH, 'PSH'], [TCP_ACK, 'ACK'], [TCP_URG, 'URG'], [TCP_ECE, 'ECE'], [TCP_CWR, 'CWR'],
];

export function flagNames(flags: number): string {
  return FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name).join(', ') || 'none';
}

const EVENT_LABELS: Record<ConnEventType, string> = {
  syn: 'SYN',
  'syn-retransmit': 'SYN (retransmitted)',
  'syn-ack': 'SYN, ACK',
  'syn-ack-retransmit': 'SYN, ACK (retransmitted)',
  'challenge-ack': 'challenge ACK',
  'handshake-complete': 'ACK (handshake)',
  'first-data': 'first data',
  'last-data': 'last data',
  fin: 'FIN',
  'fin-retransmit': 'FIN (retransmitted)',
  'fin-ack': 'ACK of the FIN',
  rst: 'RST',
  'zero-window': 'zero window',
  'window-reopen': 'window reopened',
};

/** The report's teardown events as ladder arrows (one per frame: an event may repeat a frame). */
export function packetsFromEvents(conn: ConnectionJson): ConnectionPackets {
  const head: LadderPacket[] = [];
  for (const e of conn.events) {
    const last = head[head.length - 1];
    if (last && last.frame === e.frame) {
      last.label += ` + ${EVENT_LABELS[e.type]}`;
      continue;
    }
    const hasAck = e.type !== 'syn' && e.type !== 'syn-retransmit' && e.rst_with_ack !== false;
    head.push({ frame: e.frame, at: e.at, from: e.by, label: EVENT_LABELS[e.type], seq: e.seq, ack: hasAck ? e.ack : null, len: e.len, window: null });
  }
  return { source: 'events', head, tail: [], total: head.length };
}
