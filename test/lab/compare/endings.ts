import type { ConnectionJson } from '../../../src/report/report-model';
import type { Truth, TruthConnection } from '../truth-model';
import { keyOf, type Pair } from './match';
import { bracket, truthInterval } from './spans';

/** Both accounts of one kind of ending: the connections (client endpoints) each names, sorted. */
export interface SetComparison {
  truth: string[];
  analyzer: string[];
}

/** The client forgot the connection (its FIN_WAIT2 vanished, reaped) while the server still held it in
 * CLOSE_WAIT, and the server's FIN came later: the kernel had to answer it with RST. */
function kernelLateFinRst(truth: Truth, tc: TruthConnection): boolean {
  const closeWait = truthInterval(tc, 'server', 'CLOSE-WAIT');
  const last = tc.states.client[tc.states.client.length - 1];
  if (!closeWait || !last || last.state !== 'FIN-WAIT-2') return false;
  const serverLeft = bracket(truth, 'server', closeWait).after !== null;
  return serverLeft && last.to < closeWait.to;
}

/** On the wire: the server's FIN after the client's, then a RST from the client. */
function wireLateFinRst(conn: ConnectionJson): boolean {
  const clientFin = conn.events.find((e) => e.type === 'fin' && e.by === 'client');
  const serverFin = conn.events.find((e) => e.type === 'fin' && e.by === 'server');
  if (!clientFin || !serverFin || serverFin.frame < clientFin.frame) return false;
  return conn.events.some((e) => e.type === 'rst' && e.by === 'client' && e.frame > serverFin.frame);
}

export function compareLateFinRsts(truth: Truth, pairs: Pair[], connections: ConnectionJson[]): SetComparison {
  return {
    truth: sorted(pairs.filter((p) => kernelLateFinRst(truth, p.truth)).map((p) => keyOf(p.truth))),
    analyzer: sorted(connections.filter(wireLateFinRst).map(keyOf)),
  };
}

/** A 4-tuple used by more than one connection (e.g. a SYN that reopened a TIME_WAIT). */
export function compareReuse(truth: Truth, connections: ConnectionJson[]): SetComparison {
  const counts = new Map<string, number>();
  for (const tc of truth.connections) counts.set(`${tc.client} ${tc.server}`, (counts.get(`${tc.client} ${tc.server}`) ?? 0) + 1);
  return {
    truth: sorted([...counts].filter(([, n]) => n > 1).map(([k]) => k.split(' ')[0])),
    analyzer: sorted(connections.filter((c) => c.previous !== null).map(keyOf)),
  };
}

/** Both sides closed actively (simultaneous close): both went through TIME_WAIT. */
export function compareSimultaneous(truth: Truth, connections: ConnectionJson[]): SetComparison {
  const kernel = truth.connections.filter((tc) => truthInterval(tc, 'client', 'TIME-WAIT') && truthInterval(tc, 'server', 'TIME-WAIT'));
  const wire = connections.filter((c) => c.states.client.some((s) => s.state === 'TIME_WAIT') && c.states.server.some((s) => s.state === 'TIME_WAIT'));
  return { truth: sorted(kernel.map(keyOf)), analyzer: sorted(wire.map(keyOf)) };
}

export function sorted(keys: string[]): string[] {
  return [...keys].sort();
}
