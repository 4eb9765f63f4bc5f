/** Every public corpus capture through every input path: file path, random small chunks, gzip. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { digest, randomChunks, streamOf, type Digest } from './collect';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures, oraclePath, readManifest } from '../support/corpus';


/** frame.number → frame.time_epoch as printed (9 decimals) from the tshark oracle; TCP frames only. */
function oracleTimes(capture: string): Map<number, string> {
  const lines = readFileSync(oraclePath(capture, 'flags.tsv'), 'utf8').split('\n');
  return new Map(lines.filter((l) => l && !l.startsWith('#')).map((l) => {
    const [frame, epoch] = l.split('\t');
    return [Number(frame), epoch];
  }));
}

/** Everything but the gzip flag, which tells the paths apart. */
function comparable(d: Digest): object {
  return { ...d, result: { ...d.result, info: { ...d.result.info, gzip: undefined } } };
}

if (!corpusAvailable()) it.skip('needs the public corpus in ../shared/corpus', () => {});
else describe('corpus captures', () => {
  const manifest = new Map(readManifest().map((row) => [row.name, row]));
  const captures = corpusCaptures();

  it('has a manifest row for every capture', () => {
    expect(captures.length).toBeGreaterThan(0);
    for (const name of captures) expect(manifest.get(name)?.packets).toEqual(expect.any(Number));
  });

  it.each(captures)('%s', async (name) => {
    const path = join(CORPUS_CAPTURES, name);
    const bytes = readFileSync(path);
    const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    const fromPath = await digest(path);
    const seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

    // The manifest's packets column is capinfos' count; where capinfos failed on damage it is the
    // count it read before the error, which equals the last frame tshark printed.
    const times = oracleTimes(name);
    const lastTcpFrame = Math.max(0, ...times.keys());
    expect(fromPath.count).toBe(manifest.get(name)?.packets);
    expect(fromPath.count).toBeGreaterThanOrEqual(lastTcpFrame);
    expect(fromPath.frames).toEqual(Array.from({ length: fromPath.count }, (_, i) => i + 1));
    for (const [frame, epoch] of times) {
      if (Math.abs(fromPath.ts[frame - 1] - Number(epoch)) > 1e-6) throw new Error(`frame ${frame}: ${fromPath.ts[frame - 1]} vs tshark ${epoch}`);
    }

    const chunked = await digest(streamOf(randomChunks(bytes, seed)));
    expect(comparable(chunked)).toEqual(comparable(fromPath));
    const other = isGzip ? gunzipSync(bytes) : gzipSync(bytes);
    const recompressed = await digest(streamOf(randomChunks(other, seed + 1)));
    expect(recompressed.result.info.gzip).toBe(!isGzip);
    expect(comparable(recompressed)).toEqual(comparable(fromPath));
  });
});
