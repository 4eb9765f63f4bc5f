/** Over every public corpus capture: our connections equal tshark's TCP conversations
 * (4-tuple with direction, start, frames and bytes each way). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture, type Analysis } from '../../src/analyze';
import { formatEndpoint } from '../../src/flow/endpoint-key';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures, oraclePath } from '../support/corpus';
import { byteCountMatches, readTsharkConversations, type TsharkConversation } from '../support/tshark-conv';

function compare(analysis: Analysis, expected: TsharkConversation[]): string[] {
  const problems: string[] = [];
  const base = analysis.firstRecordTs ?? 0;
  const ours = analysis.connections.map((c) => ({
    a: formatEndpoint(c.side(0).addr, c.side(0).port),
    b: formatEndpoint(c.side(1).addr, c.side(1).port),
    framesAtoB: c.side(0).packets, bytesAtoB: c.side(0).bytes,
    framesBtoA: c.side(1).packets, bytesBtoA: c.side(1).bytes,
    relativeStart: c.start - base,
    used: false,
  }));
  if (ours.length !== expected.length) problems.push(`${ours.length} connections, tshark ${expected.length}`);
  for (const t of expected) {
    const match = ours.find((o) => !o.used && o.a === t.a && o.b === t.b && Math.abs(o.relativeStart - t.relativeStart) < 2e-6);
    if (!match) { problems.push(`no connection for ${t.a} <-> ${t.b} at +${t.relativeStart}`); continue; }
    match.used = true;
    if (match.framesAtoB !== t.framesAtoB || match.framesBtoA !== t.framesBtoA
      || !byteCountMatches(t.bytesAtoB, match.bytesAtoB) || !byteCountMatches(t.bytesBtoA, match.bytesBtoA)) {
      problems.push(`${t.a} <-> ${t.b} at +${t.relativeStart}: frames ${match.framesAtoB}/${match.framesBtoA} bytes ${match.bytesAtoB}/${match.bytesBtoA},`
        + ` tshark ${t.framesAtoB}/${t.framesBtoA} ${t.bytesAtoB.value} ${t.bytesAtoB.unit}/${t.bytesBtoA.value} ${t.bytesBtoA.unit}`);
    }
  }
  return problems;
}

(corpusAvailable() ? describe : describe.skip)('connections equal tshark conv,tcp over the public corpus', () => {
  const captures = !corpusAvailable() ? [] : corpusCaptures().filter((c) => existsSync(oraclePath(c, 'conv.txt')));
  let agreeing = 0;

  (captures.length > 0 ? it.each(captures) : it.skip.each(['(no corpus)']))('%s', async (capture) => {
    const expected = readTsharkConversations(oraclePath(capture, 'conv.txt'));
    let analysis: Analysis;
    try {
      analysis = await analyzeCapture(join(CORPUS_CAPTURES, capture));
    } catch {
      // tshark reads nothing from a file we cannot read either: then it must list no conversation.
      expect(expected).toEqual([]);
      return;
    }
    expect(compare(analysis, expected)).toEqual([]);
    agreeing++;
  });

  afterAll(() => {
    process.stdout.write(`conversation agreement with tshark: ${agreeing}/${captures.length} captures identical\n`);
  });
});
