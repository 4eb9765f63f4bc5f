/** Every cut of small real captures (pcap µs/ns, both byte orders, pcapng, and gzip of one):
 * what lies wholly before the cut is read, the cut is one issue at the right offset, and nothing
 * escapes. Even cuts arrive in one chunk, odd ones in random chunks. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runScale } from './support/fc-options';
import { violations } from './support/invariants';
import { layout, PACKET_BLOCKS, type Layout } from './support/layout';
import { runInput, type Chunking, type Outcome } from './support/outcome';
import { smallCapturePaths } from './support/seeds';

const CAPTURES = smallCapturePaths();
const chunking = (cut: number): Chunking => (cut % 2 === 0 ? { kind: 'whole' } : { kind: 'random', seed: cut, max: 97, empties: true });

/** Packet units (pcap records, pcapng packet blocks) and where each ends. */
function packetEnds(l: Layout): number[] {
  return l.units.filter((u) => l.format === 'pcap' || PACKET_BLOCKS.has(u.type)).map((u) => u.offset + u.length);
}

function expectReadable(outcome: Outcome): asserts outcome is Extract<Outcome, { kind: 'ok' }> {
  expect(violations(outcome)).toEqual([]);
  expect(outcome.kind).toBe('ok');
}

test('the small captures are there', () => {
  expect(CAPTURES.length).toBeGreaterThanOrEqual(5);
});

describe.each(CAPTURES.map((p) => [basename(p), p]))('every cut of %s', (_name, path) => {
  const file = readFileSync(path);
  const l = layout(file);
  const ends = packetEnds(l);
  const boundaries = new Set([l.headerBytes, ...l.units.map((u) => u.offset + u.length)]);

  it('reads the whole file cleanly (the reference)', async () => {
    const whole = await runInput(file);
    expectReadable(whole);
    expect(whole.analysis.issues).toEqual([]);
    expect(whole.analysis.packets).toBe(ends.length);
    expect(l.end).toBe(file.length);
  });

  it('delivers every packet that lies before the cut and reports the cut once', async () => {
    // Every byte of the files up to 1.5 KB; every fourth of the bigger ones unless FAST_CHECK_NUM_RUNS=x4.
    const step = file.length <= 1500 ? 1 : Math.max(1, Math.round(4 / runScale(100)));
    const starts = [l.headerBytes, ...l.units.map((u) => u.offset + u.length)];
    const wrong: unknown[] = [];
    for (let cut = 0; cut < file.length; cut += cut < 64 ? 1 : step) {
      // Frame numbers are checked on the whole-chunk cuts (a second read of each input).
      const outcome = await runInput(file.subarray(0, cut), chunking(cut), 5000, { frames: cut % 2 === 0 });
      const problems = violations(outcome);
      if (cut < 4) {
        const code = outcome.kind === 'capture-error' ? outcome.error.code : outcome.kind;
        if (code !== (cut === 0 ? 'empty' : 'not-a-capture')) wrong.push({ cut, code });
        continue;
      }
      if (outcome.kind !== 'ok' || problems.length > 0) {
        wrong.push({ cut, kind: outcome.kind, problems });
        continue;
      }
      const a = outcome.analysis;
      const got = { packets: a.packets, issues: a.issues.map((i) => `${i.code}@${i.offset}`) };
      const at = Math.max(...starts.filter((b) => b <= cut));
      const want = {
        packets: ends.filter((e) => e <= cut).length,
        issues: boundaries.has(cut) ? [] : cut < (l.format === 'pcap' ? 24 : l.units[0].length) ? ['truncated-file@0'] : [`truncated-record@${at}`],
      };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push({ cut, got, want });
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});

describe('every cut of a gzipped capture', () => {
  const path = CAPTURES.find((p) => p.endsWith('lo-teardown-mix.pcap')) ?? CAPTURES[0];
  const capture = readFileSync(path);
  const compressed = gzipSync(capture);
  const ends = packetEnds(layout(capture));

  it(`reads what the ${compressed.length} compressed bytes before the cut hold, and says where it stopped`, async () => {
    const step = Math.max(1, Math.round(3 / runScale(100))); // every byte with FAST_CHECK_NUM_RUNS=x3
    const wrong: unknown[] = [];
    for (let cut = 2; cut < compressed.length; cut += step) {
      const outcome = await runInput(compressed.subarray(0, cut), chunking(cut), 5000, { frames: cut % 2 === 0 });
      const problems = violations(outcome);
      if (outcome.kind === 'capture-error') {
        // Nothing decompressed yet, or not even the 4 magic bytes.
        if (!['read-error', 'empty', 'not-a-capture'].includes(outcome.error.code) || problems.length > 0) wrong.push({ cut, code: outcome.error.code, problems });
        continue;
      }
      if (outcome.kind !== 'ok' || problems.length > 0) {
        wrong.push({ cut, kind: outcome.kind, problems });
        continue;
      }
      const a = outcome.analysis;
      // Whatever was decompressed in whole records is delivered, and where it stopped is said.
      const codes = a.issues.map((i) => i.code);
      const delivered = ends.filter((e) => e <= a.bytes).length;
      if (a.packets !== delivered || codes.length === 0 || !codes.every((c) => ['gzip-error', 'truncated-record', 'truncated-file'].includes(c))) {
        wrong.push({ cut, packets: a.packets, delivered, codes });
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
