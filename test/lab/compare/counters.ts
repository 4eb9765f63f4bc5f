import type { ConnEventType } from '../../../src/tcp/events';
import type { ConnectionJson, Role } from '../../../src/report/report-model';
import type { Truth } from '../truth-model';

export interface CountComparison {
  what: string;
  truth: number;
  analyzer: number;
}

const eventCount = (connections: ConnectionJson[], type: ConnEventType, by: Role): number =>
  connections.reduce((n, c) => n + c.events.filter((e) => e.type === type && e.by === by).length, 0);

/** Kernel counters that count segments one by one, against the analyzer's events: every RST a host
 * sent (TcpOutRsts), every advertisement of a zero window (TcpExtTCPToZeroWindowAdv) and of the first
 * window after one (TcpExtTCPFromZeroWindowAdv). */
export function compareCounters(truth: Truth, connections: ConnectionJson[]): CountComparison[] {
  return (['client', 'server'] as const).flatMap((role) => [
    { what: `${role} RSTs`, truth: truth.counters[role].TcpOutRsts, analyzer: eventCount(connections, 'rst', role) },
    { what: `${role} zero windows`, truth: truth.counters[role].TcpExtTCPToZeroWindowAdv, analyzer: eventCount(connections, 'zero-window', role) },
    { what: `${role} window reopenings`, truth: truth.counters[role].TcpExtTCPFromZeroWindowAdv, analyzer: eventCount(connections, 'window-reopen', role) },
  ]);
}
