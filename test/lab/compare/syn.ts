import type { ConnectionJson } from '../../../src/report/report-model';
import type { Truth } from '../truth-model';
import { sorted, type SetComparison } from './endings';
import { keyOf } from './match';

export interface SynComparison {
  /** SYNs that got no SYN-ACK: the listener's drops (TcpExtListenOverflows) against the wire's count. */
  dropped: { truth: number; analyzer: number };
  /** Retransmitted SYNs (client's TcpExtTCPSynRetrans) and SYN-ACKs (server's). */
  synRetransmits: { truth: number; analyzer: number };
  synAckRetransmits: { truth: number; analyzer: number };
  /** Attempts that never got a SYN-ACK: the kernel showed only SYN-SENT, the analyzer no syn-ack. */
  unanswered: SetComparison;
}

/** SYNs sent before the first SYN-ACK, less the one it answered. */
function droppedSyns(conn: ConnectionJson): number {
  const synAck = conn.events.find((e) => e.type === 'syn-ack');
  const syns = conn.events.filter((e) => (e.type === 'syn' || e.type === 'syn-retransmit') && e.by === 'client'
    && (!synAck || e.frame < synAck.frame)).length;
  return synAck ? Math.max(0, syns - 1) : syns;
}

const count = (connections: ConnectionJson[], type: string): number =>
  connections.reduce((n, c) => n + c.events.filter((e) => e.type === type).length, 0);

export function compareSyns(truth: Truth, connections: ConnectionJson[]): SynComparison {
  const kernelUnanswered = truth.connections.filter((tc) => tc.states.server.length === 0
    && tc.states.client.length > 0 && tc.states.client.every((s) => s.state === 'SYN-SENT'));
  const wireUnanswered = connections.filter((c) => c.events.some((e) => e.type === 'syn')
    && !c.events.some((e) => e.type === 'syn-ack'));
  return {
    dropped: { truth: truth.counters.server.TcpExtListenOverflows, analyzer: connections.reduce((n, c) => n + droppedSyns(c), 0) },
    synRetransmits: { truth: truth.counters.client.TcpExtTCPSynRetrans, analyzer: count(connections, 'syn-retransmit') },
    synAckRetransmits: { truth: truth.counters.server.TcpExtTCPSynRetrans, analyzer: count(connections, 'syn-ack-retransmit') },
    unanswered: { truth: sorted(kernelUnanswered.map(keyOf)), analyzer: sorted(wireUnanswered.map(keyOf)) },
  };
}
