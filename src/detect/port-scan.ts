import { max, min } from 'd3-array';
import { fmtCount, plural } from '../format';
import { endpointHost, endpointPort } from '../flow/endpoint-key';
import { framesFilter, round3 } from './conn-facts';
import type { ConnectionFacts, FactsById } from './connection-facts';
import type { CaptureDetector, ScanGroups } from './detector';

/** Distinct ports of one host a client must probe before its SYNs count as a scan. */
const SCAN_MIN_PORTS = 20;

/** Connection attempts grouped by (client host, server host), for those that probe many ports. Made once
 * for a report (see DetectContext.scans): the probes are left out of other detectors' findings.
 * `servers`: every connection's server, each once (the keys of idsByListener). */
export function scanGroups(conns: FactsById, servers: Iterable<string>): ScanGroups {
  // One client can probe that many ports of a host only if the host has that many endpoints: counted over
  // the few servers first, so that on most captures no connection is read at all.
  const endpointsOfHost = new Map<string, number>();
  const all = [...servers];
  for (const server of all) endpointsOfHost.set(endpointHost(server), (endpointsOfHost.get(endpointHost(server)) ?? 0) + 1);
  const probed = new Set(all.filter((server) => (endpointsOfHost.get(endpointHost(server)) ?? 0) >= SCAN_MIN_PORTS));
  const groups = new Map<string, ConnectionFacts[]>();
  if (probed.size === 0) return groups;
  for (const id of conns.ids) {
    const c = conns.factsAt(id);
    if (c.clientSynFrame === null || !probed.has(c.server)) continue;
    const key = `${endpointHost(c.client)} ${endpointHost(c.server)}`;
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  for (const [key, list] of groups) if (new Set(list.map((c) => endpointPort(c.server))).size < SCAN_MIN_PORTS) groups.delete(key);
  return groups;
}

export const portScan: CaptureDetector = {
  kind: 'port-scan',
  scope: 'capture',
  title: 'One client probed many ports of one host (a port scan)',
  explanation: `One client sent SYNs to many different ports of the same host: a port scan (nmap and the like) or a service discovery sweep. Most probes are refused (RST) or go unanswered; a few find open ports. Such probes are reported here once instead of as hundreds of refused or unanswered connections.

What to check: whether the scanning host is expected to scan (a vulnerability scanner, monitoring); the open ports it found.`,
  headline({ count, finding }) {
    return count === 1 ? finding(0).summary : `${plural(count, 'port scan')}: ${[finding(0), finding(1)].map((f) => f.summary).join('; ')}`;
  },
  detect(_conns, ctx) {
    return [...ctx.scans.values()].map((list) => {
      const ports = new Set(list.map((c) => endpointPort(c.server)));
      const open = [...new Set(list.filter((c) => c.serverSynAck).map((c) => endpointPort(c.server)))].sort((a, b) => a - b);
      const refused = list.filter((c) => !c.serverSynAck && c.serverRst).length;
      const starts = list.map((c) => c.start);
      const first = min(starts) ?? 0;
      // Every connection of a group sent a SYN.
      const frames = list.slice(0, 20).flatMap((c) => (c.clientSynFrame === null ? [] : [c.clientSynFrame]));
      const openWords = open.length === 0 ? 'none open' : `open: ${open.slice(0, 12).join(', ')}${open.length > 12 ? ', …' : ''}`;
      return {
        kind: 'port-scan' as const,
        severity: 'info' as const,
        connections: list.map((c) => c.id),
        at: first,
        duration_s: round3((max(starts) ?? first) - first),
        measures: { scanner: endpointHost(list[0].client), target: endpointHost(list[0].server), ports: ports.size, open: open.length, refused },
        frames,
        filter: framesFilter(frames),
        summary: `${endpointHost(list[0].client)} scanned ${fmtCount(ports.size)} ports of ${endpointHost(list[0].server)} (${openWords}; ${fmtCount(refused)} refused)`,
        explanation: `${plural(list.length, 'connection attempt')} from ${endpointHost(list[0].client)} to ${fmtCount(ports.size)} ports of ${endpointHost(list[0].server)}; ${openWords}.`,
      };
    });
  },
};
