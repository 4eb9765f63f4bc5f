/** Deterministic synthetic traffic for the benchmark: many short connections (or long bulk ones) on a few
 * listeners, a few percent ending badly, written through the project's capture writer. Frames are built
 * from a template (no checksums: nothing here verifies them) so that generating 20 million packets stays
 * quick. */
import { createWriteStream } from 'node:fs';
import { createPcapngWriter, createPcapWriter, type CaptureWriter } from '../support/capture-writer';
import { prng } from '../support/prng';

export interface TrafficSpec {
  connections: number;
  /** Connections open at the same time (in steady state). */
  concurrent: number;
  /** Seconds a normal connection lasts. */
  lifetimeS: number;
  /** Share of connections ending in each kind of anomaly. */
  anomalyShare: number;
  seed: number;
  /** All connections open first, all close at the end (the many-open-at-once case). */
  allOpenAtOnce?: boolean;
  /** Full-sized segments the server sends in each normal connection, the client acknowledging every
   * second one (the bulk case: many packets per connection, as in most captures of real services). */
  bulkSegments?: number;
}

export type OutputFormat = 'pcap' | 'pcapng' | 'pcap.gz';

type Dir = 0 | 1; // 0 client → server, 1 server → client
type Step = [offsetS: number, dir: Dir, flags: number, payload: number];

const F = 0x01, S = 0x02, R = 0x04, P = 0x08, A = 0x10;

const NORMAL = (d: number): Step[] => [
  [0, 0, S, 0], [0.0001, 1, S | A, 0], [0.0002, 0, A, 0], [0.001, 0, P | A, 120], [0.0011, 1, A, 0],
  [d * 0.5, 1, P | A, 600], [d * 0.5 + 0.0001, 0, A, 0], [d, 0, F | A, 0], [d + 0.0001, 1, F | A, 0], [d + 0.0002, 0, A, 0],
];
/** A normal connection whose response is `segments` full-sized segments over the first half of its life. */
const BULK = (d: number, segments: number): Step[] => {
  const steps = NORMAL(d);
  const data: Step[] = [];
  const spacing = (d * 0.5 - 0.002) / segments;
  for (let i = 0; i < segments; i++) {
    const t = 0.002 + i * spacing;
    data.push([t, 1, A, 1448]);
    if (i % 2 === 1 || i === segments - 1) data.push([t + spacing / 2, 0, A, 0]);
  }
  return [...steps.slice(0, 5), ...data, ...steps.slice(7)];
};
/** Each anomaly replaces the ending of a normal connection. */
const ANOMALIES: ((d: number) => Step[])[] = [
  // half-closed, late FIN answered by RST (FIN_WAIT_2 expired)
  (d) => [...NORMAL(d).slice(0, 7), [d, 0, F | A, 0], [d + 0.0001, 1, A, 0], [d + 70, 1, F | A, 0], [d + 70.0001, 0, R, 0]],
  // SYN never answered, retransmitted
  () => [[0, 0, S, 0], [1, 0, S, 0], [3, 0, S, 0]],
  // abortive close
  (d) => [...NORMAL(d).slice(0, 7), [d, 0, R | A, 0]],
  // zero window, then reset by the server
  (d) => [...NORMAL(d).slice(0, 5), [d * 0.5, 1, P | A, 600], [d * 0.5 + 0.0001, 0, A, -1], [d + 2, 1, R | A, 0]],
  // accept delay: the server answers 5 s late
  (d) => NORMAL(d).map(([t, dir, fl, len]): Step => [t >= d * 0.5 ? t + 5 : t, dir, fl, len]),
];

interface Conn { index: number; start: number; steps: Step[]; next: number; seq: [number, number] }

/** A binary min-heap of connections by the time of their next packet. */
class Heap {
  private readonly items: Conn[] = [];
  get size(): number { return this.items.length; }
  private key(c: Conn): number { return c.start + c.steps[c.next][0]; }
  push(c: Conn): void {
    const a = this.items;
    a.push(c);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (this.key(a[p]) <= this.key(a[i])) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): Conn {
    const a = this.items;
    const top = a[0];
    const last = a.pop() as Conn;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && this.key(a[l]) < this.key(a[m])) m = l;
        if (r < a.length && this.key(a[r]) < this.key(a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
  peekTime(): number { return this.key(this.items[0]); }
}

const EPOCH = 1_790_000_000;

function frame(c: Conn, step: Step): Buffer {
  const [, dir, flags, len] = step;
  const payload = Math.max(len, 0);
  const b = Buffer.allocUnsafe(54 + payload).fill(0);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(40 + payload, 16);
  b[22] = 64;
  b[23] = 6;
  // Clients 10.<i>, listeners 10.255.0.<1..4>:80.
  const client = 0x0a000000 | ((c.index >>> 14) & 0xffff) << 8 | 1;
  const server = 0x0aff0000 | ((c.index & 3) + 1);
  const clientPort = 1024 + (c.index & 0x3fff);
  b.writeUInt32BE(dir === 0 ? client : server, 26);
  b.writeUInt32BE(dir === 0 ? server : client, 30);
  b.writeUInt16BE(dir === 0 ? clientPort : 80, 34);
  b.writeUInt16BE(dir === 0 ? 80 : clientPort, 36);
  b.writeUInt32BE(c.seq[dir] >>> 0, 38);
  b.writeUInt32BE(flags & A ? c.seq[dir ^ 1] >>> 0 : 0, 42);
  b[46] = 0x50;
  b[47] = flags;
  b.writeUInt16BE(len < 0 ? 0 : 65535, 48);
  c.seq[dir] += payload + (flags & (S | F) ? 1 : 0);
  return b;
}

export async function writeTraffic(spec: TrafficSpec, path: string, format: OutputFormat): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const writer: CaptureWriter = format === 'pcapng'
    ? createPcapngWriter(out)
    : createPcapWriter(out, { gzip: format === 'pcap.gz' });
  const rand = prng(spec.seed);
  const heap = new Heap();
  const gap = spec.allOpenAtOnce ? 5 / spec.connections : spec.lifetimeS / spec.concurrent;
  const lifetime = spec.allOpenAtOnce ? 10 : spec.lifetimeS;
  let started = 0;
  let packets = 0;
  const startNext = (): void => {
    const i = started++;
    const r = rand();
    const kind = Math.floor(r / spec.anomalyShare);
    const steps = kind < ANOMALIES.length ? ANOMALIES[kind](lifetime) : spec.bulkSegments ? BULK(lifetime, spec.bulkSegments) : NORMAL(lifetime);
    heap.push({ index: i, start: i * gap, steps, next: 0, seq: [Math.floor(rand() * 2 ** 32), Math.floor(rand() * 2 ** 32)] });
  };
  startNext();
  while (heap.size > 0) {
    while (started < spec.connections && started * gap <= heap.peekTime()) startNext();
    const c = heap.pop();
    const step = c.steps[c.next];
    await writer.write({ ts: EPOCH + c.start + step[0], data: frame(c, step) });
    packets++;
    if (++c.next < c.steps.length) heap.push(c);
    if (heap.size === 0 && started < spec.connections) startNext();
  }
  await writer.end();
  return packets;
}
