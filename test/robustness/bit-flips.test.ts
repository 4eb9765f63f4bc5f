/** Bit flips and byte overwrites of real captures. Anywhere: only CaptureError escapes and the
 * counts add up. Inside packet bytes only: not one record is lost and the reader sees no damage. */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CORPUS_CAPTURES } from '../support/corpus';
import { chunkingArb } from './support/arbitraries';
import { fcOptions, timeoutFor } from './support/fc-options';
import { violations } from './support/invariants';
import { EPB, layout, PB, SPB } from './support/layout';
import { runInput } from './support/outcome';
import { smallCapturePaths } from './support/seeds';

const MIDSIZE = ['pcpp__three_http_streams.pcap', 'ppa__tcp_retransmissions.pcapng', 'zeek__tcp__http-on-irc-port-missing-syn.pcapng', 'zeek__mixed-vlan-mpls.pcap']
  .map((n) => join(CORPUS_CAPTURES, n)).filter(existsSync);
const FILES = [...smallCapturePaths(), ...MIDSIZE].map((p) => ({ name: basename(p), bytes: readFileSync(p) }));

/** [start, end) of the packet bytes of every record: what a flip may change without touching the framing. */
function packetRanges(file: Buffer): [number, number][] {
  const l = layout(file);
  return l.units.flatMap((u): [number, number][] => {
    if (l.format === 'pcap') return [[u.offset + 16, u.offset + u.length]];
    const caplen = (at: number): number => (u.littleEndian ? file.readUInt32LE(at) : file.readUInt32BE(at));
    if (u.type === EPB || u.type === PB) return [[u.offset + 28, u.offset + 28 + caplen(u.offset + 20)]];
    if (u.type === SPB) return [[u.offset + 12, u.offset + u.length - 4]];
    return [];
  }).filter(([a, b]) => b > a);
}

const fileArb = fc.constantFrom(...FILES);
const editArb = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.nat(255), fc.constantFrom(0, 0xff, 0x7f, 0x80)) }),
);
const editsArb = fc.array(editArb, { minLength: 1, maxLength: 12 });

function applyEdits(bytes: Buffer, edits: { kind: 'flip' | 'set'; at: number; bit?: number; value?: number }[], positions?: number[]): Buffer {
  const out = Buffer.from(bytes);
  for (const e of edits) {
    const at = positions ? positions[e.at % positions.length] : e.at % out.length;
    if (e.kind === 'flip') out[at] ^= 1 << (e.bit ?? 0);
    else out[at] = e.value ?? 0;
  }
  return out;
}

test('the captures are there', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(8);
});

it('bit flips and overwrites anywhere: only CaptureError escapes, the counts add up', async () => {
  await fc.assert(fc.asyncProperty(fileArb, editsArb, chunkingArb, async (file, edits, chunking) => {
    const outcome = await runInput(applyEdits(file.bytes, edits), chunking);
    expect(violations(outcome)).toEqual([]);
  }), fcOptions(300));
}, timeoutFor(300, 3000));

it('edits in the first 64 bytes (file and section headers): only CaptureError escapes', async () => {
  const early = Array.from({ length: 64 }, (_, i) => i);
  await fc.assert(fc.asyncProperty(fileArb, editsArb, chunkingArb, async (file, edits, chunking) => {
    const outcome = await runInput(applyEdits(file.bytes, edits, early.filter((i) => i < file.bytes.length)), chunking);
    expect(violations(outcome)).toEqual([]);
  }), fcOptions(300));
}, timeoutFor(300, 2000));

describe('edits inside packet bytes', () => {
  const reference = new Map<string, { packets: number }>();

  beforeAll(async () => {
    for (const f of FILES) {
      const outcome = await runInput(f.bytes);
      if (outcome.kind !== 'ok') throw new Error(`${f.name}: ${outcome.kind}`);
      reference.set(f.name, { packets: outcome.analysis.packets });
    }
  });

  it('lose no record and report no damage: the packets are decoded or skipped with a reason', async () => {
    await fc.assert(fc.asyncProperty(fileArb, editsArb, chunkingArb, async (file, edits, chunking) => {
      const positions = packetRanges(file.bytes).flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i));
      const outcome = await runInput(applyEdits(file.bytes, edits, positions), chunking);
      expect(violations(outcome)).toEqual([]);
      if (outcome.kind !== 'ok') throw new Error(`expected an analysis, got ${outcome.kind}`);
      expect([outcome.analysis.packets, outcome.analysis.issues]).toEqual([reference.get(file.name)?.packets, []]);
    }), fcOptions(250));
  }, timeoutFor(250, 3000));
});
