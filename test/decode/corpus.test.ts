import { join } from 'node:path';
import { readCapture } from '../../src/capture/read-capture';
import { CaptureError, type CaptureRecord } from '../../src/capture/record';
import { decodePacket, decodeRecord } from '../../src/decode/decode-packet';
import { newTcpPacket, type SkipReason } from '../../src/decode/tcp-packet';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures, oraclePath } from '../support/corpus';
import { view } from './decode-helper';
import { differences, readOracle } from './corpus-oracle';

/** Every public capture, decoded and compared frame by frame with tshark 4.0.17's dissection. */
const captures = corpusAvailable() ? corpusCaptures() : [];

/** Where we knowingly differ from tshark: `capture#frame` → our reason and why. */
const KNOWN: Record<string, { ours: SkipReason; why: string }> = {
  'pcpp__tcp-malformed.pcap#1': { ours: 'bad-tcp-header', why: 'data offset says 28 bytes, the IP payload holds 20; tshark lists it with no tcp.len' },
  'pcpp__tcp-malformed.pcap#2': { ours: 'bad-tcp-header', why: 'same as frame 1' },
  'zeek__tcp__truncated-header.pcap#1': {
    ours: 'truncated-tcp-header',
    why: 'SYN whose options the snaplen cut (68 of 74 bytes); tshark shows the partial header but leaves it out of its conversations, Zeek skips it as we do',
  },
};

interface Tally { oracle: number; agree: number; known: number; skipped: Partial<Record<SkipReason, number>> }
const total: Tally = { oracle: 0, agree: 0, known: 0, skipped: {} };

async function compare(name: string): Promise<{ tally: Tally; problems: string[] }> {
  const oracle = readOracle(oraclePath(name, 'flags.tsv'));
  const tally: Tally = { oracle: oracle.size, agree: 0, known: 0, skipped: {} };
  const problems: string[] = [];
  const seen = new Set<number>();
  const pkt = newTcpPacket();
  const record = (r: CaptureRecord): void => {
    const { frame } = r;
    // As the analysis decodes it, where it lies in the chunk read; and as a frame of its own.
    const alone = decodePacket(r.linkType, r.data, r.origLen, pkt);
    const aloneView = alone === null ? view(pkt) : null;
    const reason = decodeRecord(r.linkType, r.bytes, r.start, r.caplen, r.origLen, pkt);
    if (reason !== alone || (reason === null && JSON.stringify(view(pkt)) !== JSON.stringify(aloneView))) {
      problems.push(`frame ${frame}: decoded differently in its chunk (at ${r.start}) and alone`);
    }
    const want = oracle.get(frame);
    const known = KNOWN[`${name}#${frame}`];
    seen.add(frame);
    if (known !== undefined) {
      if (reason === known.ours) tally.known++;
      else problems.push(`frame ${frame}: known difference changed: ${String(reason)} (expected ${known.ours})`);
    } else if (want === undefined) {
      if (reason === null) problems.push(`frame ${frame}: decoded as TCP, tshark does not list it`);
      else tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
    } else if (reason !== null) {
      problems.push(`frame ${frame}: ${reason}, tshark lists it as TCP`);
    } else {
      const diffs = differences(view(pkt), want);
      if (diffs.length === 0) tally.agree++;
      else problems.push(`frame ${frame}: ${diffs.join(', ')}`);
    }
  };
  try {
    await readCapture(join(CORPUS_CAPTURES, name), {
      record,
      issue: () => undefined,
    });
  } catch (err) {
    // zeek__empty.pcap holds a file header only; whatever else fails is a real problem.
    if (!(err instanceof CaptureError)) throw err;
  }
  for (const frame of oracle.keys()) if (!seen.has(frame)) problems.push(`frame ${frame}: listed by tshark, not read`);
  return { tally, problems };
}

(captures.length > 0 ? describe : describe.skip)('decoding agrees with tshark on the corpus', () => {
  test.each(captures)('%s', async (name) => {
    const { tally, problems } = await compare(name);
    total.oracle += tally.oracle;
    total.agree += tally.agree;
    total.known += tally.known;
    for (const [reason, n] of Object.entries(tally.skipped)) {
      total.skipped[reason as SkipReason] = (total.skipped[reason as SkipReason] ?? 0) + n;
    }
    expect(problems).toEqual([]);
  });

  afterAll(() => {
    console.log(`corpus: ${captures.length} captures, tshark lists ${total.oracle} TCP frames; `
      + `${total.agree} agree on every field, ${total.known} known differences; `
      + `frames tshark does not list, by our reason: ${JSON.stringify(total.skipped)}`);
  });
});
