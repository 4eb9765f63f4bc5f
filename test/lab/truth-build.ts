import type { Host } from './links';
import type { Sample, Samples } from './ss-poller';
import type { StateInterval, TruthConnection, TruthListener } from './truth-model';

const CONNECTION_STATES = new Set([
  'SYN-SENT', 'SYN-RECV', 'ESTAB', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSING', 'TIME-WAIT', 'CLOSE-WAIT', 'LAST-ACK',
]);

interface Observation { poll: number; state: string; recvQ: number; sendQ: number; cookie: string }
interface Incarnation { key: string; intervals: StateInterval[]; from: number; to: number }

/** Per connection (client ip:port, server ip:port), each host's state intervals. Another socket on the
 * same 4-tuple (another cookie) is another connection, e.g. a TIME_WAIT reused by a new SYN, even when
 * both were only ever seen in TIME_WAIT; only the handshake's request socket (SYN-RECV) hands over
 * to a new cookie within one connection. */
export function buildConnections(samples: Samples, intervalS: number): TruthConnection[] {
  const server = incarnations(samples.server, 'server');
  const client = incarnations(samples.client, 'client');
  const connections: { at: number; conn: TruthConnection }[] = [];
  const paired = new Set<Incarnation>();
  for (const c of client) {
    const s = bestOverlap(c, server.filter((x) => x.key === c.key && !paired.has(x)), intervalS);
    if (s) paired.add(s);
    connections.push({ at: Math.min(c.from, s?.from ?? c.from), conn: connection(c.key, c.intervals, s?.intervals ?? []) });
  }
  for (const s of server) {
    if (!paired.has(s)) connections.push({ at: s.from, conn: connection(s.key, [], s.intervals) });
  }
  return connections.sort((a, b) => a.at - b.at).map((x) => x.conn);
}

export function buildListeners(samples: Sample[]): TruthListener[] {
  const byAddress = new Map<string, TruthListener>();
  for (const sample of samples) {
    for (const s of sample.sockets) {
      if (s.state !== 'LISTEN') continue;
      let l = byAddress.get(s.local);
      if (!l) byAddress.set(s.local, l = { address: s.local, backlog: s.sendQ, peak: 0, queue: [] });
      l.queue.push([sample.at, s.recvQ]);
      l.peak = Math.max(l.peak, s.recvQ);
    }
  }
  return [...byAddress.values()];
}

function incarnations(samples: Sample[], host: Host): Incarnation[] {
  const seen = new Map<string, Observation[]>();
  samples.forEach((sample, poll) => {
    for (const s of sample.sockets) {
      if (!CONNECTION_STATES.has(s.state)) continue;
      const key = host === 'server' ? `${s.peer} ${s.local}` : `${s.local} ${s.peer}`;
      let list = seen.get(key);
      if (!list) seen.set(key, list = []);
      list.push({ poll, state: s.state, recvQ: s.recvQ, sendQ: s.sendQ, cookie: s.cookie });
    }
  });
  const result: Incarnation[] = [];
  for (const [key, list] of seen) {
    let current: Observation[] = [];
    list.forEach((o, i) => {
      const prev = list[i - 1];
      if (prev && o.cookie !== prev.cookie && prev.state !== 'SYN-RECV') {
        result.push(incarnation(key, current, samples));
        current = [];
      }
      current.push(o);
    });
    result.push(incarnation(key, current, samples));
  }
  return result;
}

function incarnation(key: string, obs: Observation[], samples: Sample[]): Incarnation {
  const intervals: StateInterval[] = [];
  for (const o of obs) {
    const at = samples[o.poll].at;
    let last = intervals[intervals.length - 1];
    if (!last || last.state !== o.state) intervals.push(last = { state: o.state, from: at, to: at });
    last.to = at;
    if (o.recvQ > 0) last.recv_q_max = Math.max(last.recv_q_max ?? 0, o.recvQ);
    if (o.sendQ > 0) last.send_q_max = Math.max(last.send_q_max ?? 0, o.sendQ);
  }
  return { key, intervals, from: intervals[0].from, to: intervals[intervals.length - 1].to };
}

/** The other host's socket of the same connection: the one whose lifetime overlaps most (each
 * widened by a poll interval, since a short state can fall between two snapshots). */
function bestOverlap(c: Incarnation, candidates: Incarnation[], intervalS: number): Incarnation | undefined {
  let best: Incarnation | undefined;
  let bestOverlap = 0;
  for (const s of candidates) {
    const overlap = Math.min(c.to, s.to) - Math.max(c.from, s.from) + 2 * intervalS;
    if (overlap > bestOverlap) { best = s; bestOverlap = overlap; }
  }
  return best;
}

function connection(key: string, client: StateInterval[], server: StateInterval[]): TruthConnection {
  const [clientEp, serverEp] = key.split(' ');
  return { client: clientEp, server: serverEp, states: { client, server } };
}
