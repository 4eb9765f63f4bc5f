import { max, min } from 'd3-array';
import type { FindingKind } from '../detect/finding';
import type { FindingList } from '../detect/finding-list';
import { mostAtOnceOf } from '../detect/intervals';
import type { FactsById } from '../detect/connection-facts';
import type { Ending, ListenerJson } from './report-model';

/** One entry per server endpoint: its connections, how they ended, and what was found there;
 * listeners with findings first, then the busiest. `byServer`: the connections' ids by listener, as the
 * detectors had them (making them walks every connection's facts twice). */
export function listenersJson(connections: FactsById, findings: FindingList, byServer: Map<string, Uint32Array>): ListenerJson[] {
  /** Per listener, its findings' indices. */
  const found = new Map<string, number[]>();
  for (let i = 0; i < findings.length; i++) {
    const listener = findings.listenerOf(i);
    if (!listener) continue;
    const list = found.get(listener);
    if (list) list.push(i);
    else found.set(listener, [i]);
  }
  const out: ListenerJson[] = [];
  for (const [listener, ids] of byServer) {
    // Starts and ends in typed arrays: a busy listener has millions of connections.
    const starts = new Float64Array(ids.length);
    const ends = new Float64Array(ids.length);
    const byEnding: Record<Ending, number> = { fin: 0, 'fin-rst': 0, rst: 0, 'half-closed': 0, open: 0, unanswered: 0 };
    ids.forEach((id, i) => {
      const c = connections.factsAt(id);
      starts[i] = c.start;
      ends[i] = c.end;
      byEnding[c.ending]++;
    });
    const here = found.get(listener) ?? [];
    const byKind: Record<string, number> = {};
    for (const i of here) byKind[findings.kindOf(i)] = (byKind[findings.kindOf(i)] ?? 0) + 1;
    const saturationAt = here.find((i) => findings.kindOf(i) === SATURATION);
    const saturation = saturationAt === undefined ? undefined : findings.at(saturationAt);
    out.push({
      listener,
      connections: ids.length,
      first_ts: min(starts) ?? 0,
      last_ts: max(ends) ?? 0,
      // A one-packet connection is an instant, still one connection.
      max_concurrent: Math.max(1, mostAtOnceOf(starts, ends)),
      by_ending: byEnding,
      findings: byKind,
      limit: saturation?.limit ?? null,
      waiting_max: saturation?.waiting_max ?? null,
    });
  }
  const weight = (l: ListenerJson): number => Object.values(l.findings).reduce((a, b) => a + b, 0);
  return out.sort((a, b) => weight(b) - weight(a) || b.connections - a.connections || a.listener.localeCompare(b.listener));
}

const SATURATION: FindingKind = 'listener-saturation';
