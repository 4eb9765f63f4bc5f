/** Random TCP segment sequences (any flags, sequence numbers near and far, both directions, several
 * 4-tuples, time sometimes going backwards) written as real captures and run through the whole
 * pipeline: every segment lands in a connection of its own 4-tuple, each side's state timeline
 * uses RFC 793 state names only, and no state change predates its connection's start. */
import fc from 'fast-check';
import { writePcap, writePcapng, type WriteRecord } from '../support/capture-writer';
import { LINKTYPE, tcpFrame } from '../support/packet-builder';
import { formatEndpoint } from '../../src/flow/endpoint-key';
import { chunkingArb } from './support/arbitraries';
import { fcOptions, timeoutFor } from './support/fc-options';
import { violations } from './support/invariants';
import { runInput } from './support/outcome';

/** Two share a port pair with different hosts, one is IPv6, one reuses the first's ports reversed. */
const TUPLES = [
  { a: ['10.0.0.1', 40000], b: ['10.0.0.2', 80] },
  { a: ['10.0.0.1', 40001], b: ['10.0.0.2', 80] },
  { a: ['2001:db8::1', 5555], b: ['2001:db8::2', 443] },
  { a: ['10.0.0.2', 80], b: ['10.0.0.1', 40002] },
  { a: ['10.0.0.3', 40000], b: ['10.0.0.2', 80] },
] as const;

/** Flag sets weighted towards the ones connections are made of, but any combination can come. */
const FLAGS = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('S', 'SA', 'A', 'PA', 'FA', 'F', 'R', 'RA', 'FPA', 'A', 'PA') },
  { weight: 1, arbitrary: fc.subarray(['F', 'S', 'R', 'P', 'A', 'U', 'E', 'C', 'N']).map((l) => l.join('')) },
);

/** Sequence and acknowledgement numbers: near the side's running number (wrapping at 2^32), or anywhere. */
const NUMBER = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3000 }).map((d) => ({ near: d })) },
  { weight: 1, arbitrary: fc.nat({ max: 0xffffffff }).map((v) => ({ far: v })) },
);

const segmentArb = fc.record({
  tuple: fc.nat(TUPLES.length - 1),
  fromB: fc.boolean(),
  flags: FLAGS,
  seq: NUMBER,
  ack: fc.option(NUMBER, { freq: 6 }),
  payload: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.nat(100) }, { weight: 1, arbitrary: fc.nat(1460) }),
  /** Milliseconds since the previous segment; negative sometimes (clock steps, merged captures). */
  dtMs: fc.oneof({ weight: 8, arbitrary: fc.nat(2000) }, { weight: 1, arbitrary: fc.integer({ min: -60_000, max: -1 }) }, { weight: 1, arbitrary: fc.nat(400_000) }),
  window: fc.constantFrom(0, 1, 512, 65535),
});

const scenarioArb = fc.record({
  /** Per tuple and direction: the initial sequence number (some close to the 2^32 wrap). */
  isns: fc.array(fc.oneof(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0xfffff000, max: 0xffffffff })), { minLength: TUPLES.length * 2, maxLength: TUPLES.length * 2 }),
  segments: fc.array(segmentArb, { minLength: 1, maxLength: 40 }),
  format: fc.constantFrom('pcap', 'pcapng'),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const START = 1_700_000_000;

function build(s: Scenario): { bytes: Buffer; records: WriteRecord[]; perTuple: number[] } {
  const next = [...s.isns];
  const perTuple = TUPLES.map(() => 0);
  let ms = 0;
  const records = s.segments.map((g) => {
    const t = TUPLES[g.tuple];
    const [src, dst] = g.fromB ? [t.b, t.a] : [t.a, t.b];
    const mine = g.tuple * 2 + (g.fromB ? 1 : 0);
    const peer = mine ^ 1;
    const resolve = (n: { near?: number; far?: number }, base: number): number => (n.far ?? (base + (n.near ?? 0))) >>> 0;
    const seq = resolve(g.seq, next[mine]);
    const ack = g.ack === null ? 0 : resolve(g.ack, next[peer]);
    next[mine] = (seq + g.payload + (g.flags.includes('S') ? 1 : 0) + (g.flags.includes('F') ? 1 : 0)) >>> 0;
    perTuple[g.tuple]++;
    ms = Math.max(0, ms + g.dtMs);
    const data = tcpFrame({ src: src[0], dst: dst[0], sport: src[1], dport: dst[1], flags: g.flags, seq, ack, payload: g.payload, window: g.window });
    return { ts: START + ms / 1000, data, linkType: LINKTYPE.ether };
  });
  return { bytes: s.format === 'pcap' ? writePcap(records) : writePcapng({ blocks: records }), records, perTuple };
}

function tupleKey(a: string, b: string): string {
  return [a, b].sort().join(' ');
}

const TUPLE_KEYS = TUPLES.map((t) => tupleKey(endpoint(t.a), endpoint(t.b)));

function endpoint([addr, port]: readonly [string, number]): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

it('random segment sequences: every segment attributed to its own 4-tuple, states and times consistent', async () => {
  await fc.assert(fc.asyncProperty(scenarioArb, chunkingArb, async (scenario, chunking) => {
    const { bytes, records, perTuple } = build(scenario);
    const outcome = await runInput(bytes, chunking);
    expect(violations(outcome)).toEqual([]);
    if (outcome.kind !== 'ok') throw new Error(`expected an analysis, got ${outcome.kind}`);
    const a = outcome.analysis;
    expect([a.packets, a.tcpPackets, a.skipped, a.issues]).toEqual([records.length, records.length, {}, []]);

    const attributed = TUPLES.map(() => 0);
    for (const c of a.connections) {
      const key = tupleKey(formatEndpoint(c.side(0).addr, c.side(0).port), formatEndpoint(c.side(1).addr, c.side(1).port));
      const i = TUPLE_KEYS.indexOf(key);
      expect([key, i >= 0]).toEqual([key, true]);
      attributed[i] += c.side(0).packets + c.side(1).packets;
    }
    expect(attributed).toEqual(perTuple);

    // Capture time: the earliest and latest records, whatever their order.
    const times = records.map((r) => r.ts);
    expect(a.firstTs).toBeCloseTo(Math.min(...times), 5);
    expect(a.lastTs).toBeCloseTo(Math.max(...times), 5);
    expect(a.firstRecordTs).toBeCloseTo(times[0], 5);
  }), fcOptions(300));
}, timeoutFor(300, 3000));

it('under a small connection budget the counts still add up: packets of connections past it are counted, not lost', async () => {
  await fc.assert(fc.asyncProperty(scenarioArb, fc.integer({ min: 1, max: 4 }), async (scenario, maxConnections) => {
    const { bytes, records } = build(scenario);
    const outcome = await runInput(bytes, { kind: 'whole' }, 5000, { maxConnections });
    expect(violations(outcome)).toEqual([]);
    if (outcome.kind !== 'ok') throw new Error(`expected an analysis, got ${outcome.kind}`);
    const a = outcome.analysis;
    expect(a.connections.length).toBeLessThanOrEqual(maxConnections);
    expect([a.packets, a.tcpPackets + (a.skipped['connection-budget'] ?? 0)]).toEqual([records.length, records.length]);
  }), fcOptions(150));
}, timeoutFor(150, 2000));

it('a connection whose later packets are dated earlier starts at the earliest one', async () => {
  const scenario: Scenario = {
    isns: Array<number>(TUPLES.length * 2).fill(1000),
    format: 'pcap',
    segments: [
      { tuple: 0, fromB: false, flags: 'S', seq: { near: 0 }, ack: null, payload: 0, dtMs: 5000, window: 65535 },
      { tuple: 0, fromB: true, flags: 'SA', seq: { near: 0 }, ack: { near: 0 }, payload: 0, dtMs: -3000, window: 65535 },
      { tuple: 0, fromB: false, flags: 'FA', seq: { near: 0 }, ack: { near: 0 }, payload: 0, dtMs: -1000, window: 65535 },
    ],
  };
  const outcome = await runInput(build(scenario).bytes);
  expect(violations(outcome)).toEqual([]);
  if (outcome.kind !== 'ok') throw new Error(outcome.kind);
  const [c] = outcome.analysis.connections;
  expect([outcome.analysis.connections.length, c.start, c.end]).toEqual([1, START + 1, START + 5]);
});
