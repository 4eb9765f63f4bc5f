import { ByteGatherer } from '../../src/capture/pcapng/byte-gatherer';
import { randomChunks } from './collect';

/** Splits `stream` into units whose sizes come from `sizes`, the way the pcapng reader does (header, then grow). */
function gatherAll(chunks: Buffer[], sizes: number[]): { units: Buffer[]; views: number } {
  const g = new ByteGatherer();
  const units: Buffer[] = [];
  let views = 0;
  let i = 0;
  g.begin(Math.min(4, sizes[0]));
  let grown = sizes[0] <= 4;
  if (grown) g.grow(sizes[0]);
  for (const chunk of chunks) {
    let pos = 0;
    for (;;) {
      pos = g.take(chunk, pos);
      if (!g.full) break;
      if (!grown) {
        g.grow(sizes[i]);
        grown = true;
        continue;
      }
      if (g.buffer === chunk) views++;
      units.push(Buffer.from(g.buffer.subarray(g.base, g.base + sizes[i])));
      if (++i === sizes.length) return { units, views };
      g.begin(Math.min(4, sizes[i]));
      grown = sizes[i] <= 4;
    }
  }
  return { units, views };
}

describe('ByteGatherer', () => {
  const sizes = [4, 12, 100, 8, 1000, 20, 36, 4];
  const stream = Buffer.from(Array.from({ length: sizes.reduce((a, b) => a + b, 0) }, (_, i) => (i * 7) % 251));
  const expected = sizes.map((_, i) => stream.subarray(sizes.slice(0, i).reduce((a, b) => a + b, 0), sizes.slice(0, i + 1).reduce((a, b) => a + b, 0)));

  it('rebuilds units across any chunking', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(gatherAll(randomChunks(stream, seed, 50), sizes).units).toEqual(expected);
    expect(gatherAll([...stream].map((b) => Buffer.from([b])), sizes).units).toEqual(expected);
  });

  it('returns views, not copies, for units inside one chunk', () => {
    const { units, views } = gatherAll([stream], sizes);
    expect(units).toEqual(expected);
    expect(views).toBe(sizes.length);
  });
});
