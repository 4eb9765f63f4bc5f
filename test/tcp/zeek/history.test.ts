import { HANDSHAKE, runSteps, type Step } from './steps';
import { addHistory, markFlip, type ZeekHistory } from '../../../src/tcp/zeek/history';

interface Case {
  name: string;
  segments: readonly Step[];
  history: string;
  connState: string;
}

/** `n` copies of one segment. */
function times(n: number, step: Step): Step[] {
  return Array.from({ length: n }, () => step);
}

const CLOSE: readonly Step[] = [['A', 'FA', 101, 501], ['B', 'FA', 501, 102]];

const CASES: readonly Case[] = [
  // S and H: once, then again only when the relative seq of the SYN moved.
  { name: 'S: a retransmitted SYN adds nothing', segments: [['A', 'S', 100, 0], ['A', 'S', 100, 0]], history: 'S', connState: 'S0' },
  {
    name: 'S: a SYN at a new relative seq adds another S',
    segments: [['A', 'S', 100, 0], ['A', 'R', 101, 0], ['A', 'S', 5000, 0]],
    history: 'SRS', connState: 'RSTOS0',
  },
  {
    name: 'S: a new ISN while still in SYN_SENT restarts the numbering, so no repeat',
    segments: [['A', 'S', 100, 0], ['A', 'S', 900, 0]],
    history: 'S', connState: 'S0',
  },
  { name: 'H: a retransmitted SYN-ACK adds nothing', segments: [...HANDSHAKE, ['B', 'SA', 500, 101]], history: 'ShA', connState: 'S1' },
  // A and D: once per direction.
  { name: 'A: pure ACKs, once per side', segments: [...HANDSHAKE, ['A', 'A', 101, 501], ['B', 'A', 501, 101]], history: 'ShAa', connState: 'S1' },
  {
    name: 'D: data, once per side',
    segments: [...HANDSHAKE, ['A', 'PA', 101, 501, 10], ['A', 'PA', 111, 501, 10], ['B', 'PA', 501, 121, 5]],
    history: 'ShADd', connState: 'S1',
  },
  { name: 'D: data riding on a FIN is no D', segments: [...HANDSHAKE, ['A', 'FPA', 101, 501, 10]], history: 'ShAF', connState: 'S2' },
  // F: again only when seq + len moved.
  { name: 'F: a retransmitted FIN adds nothing', segments: [...HANDSHAKE, ...CLOSE, ['B', 'FA', 501, 102]], history: 'ShAFf', connState: 'SF' },
  {
    name: 'F: a FIN at a new position adds another F',
    segments: [...HANDSHAKE, ['A', 'FA', 101, 501], ['A', 'FPA', 101, 501, 5]],
    history: 'ShAFF', connState: 'S2',
  },
  // R: again only on a new seq.
  { name: 'R: a repeated RST adds nothing', segments: [...HANDSHAKE, ['A', 'R', 101, 0], ['A', 'R', 101, 0]], history: 'ShAR', connState: 'RSTO' },
  { name: 'R: a RST at a new seq adds another R', segments: [...HANDSHAKE, ['A', 'R', 101, 0], ['A', 'R', 105, 0]], history: 'ShARR', connState: 'RSTO' },
  // T: data that does not advance the sender's highest seq, on the log scale.
  {
    name: 'T: one retransmission',
    segments: [...HANDSHAKE, ['A', 'PA', 101, 501, 10], ['A', 'PA', 101, 501, 10]],
    history: 'ShADT', connState: 'S1',
  },
  {
    name: 'T: 9 retransmissions still one T',
    segments: [...HANDSHAKE, ['A', 'PA', 101, 501, 10], ...times(9, ['A', 'PA', 101, 501, 10])],
    history: 'ShADT', connState: 'S1',
  },
  {
    name: 'T: the 10th and the 100th add one more each',
    segments: [...HANDSHAKE, ['A', 'PA', 101, 501, 10], ...times(100, ['A', 'PA', 101, 501, 10])],
    history: 'ShADTTT', connState: 'S1',
  },
  { name: 'T: a bare duplicate ACK is no retransmission', segments: [...HANDSHAKE, ['A', 'A', 101, 501], ['A', 'A', 101, 501]], history: 'ShA', connState: 'S1' },
  // W: zero window, except on a RST, after the peer's FIN, or from a reset sender.
  { name: 'W: zero window advertised', segments: [...HANDSHAKE, ['B', 'A', 501, 101, 0, 0]], history: 'ShAaw', connState: 'S1' },
  { name: 'W: not on a RST', segments: [...HANDSHAKE, ['B', 'RA', 501, 101, 0, 0]], history: 'ShAr', connState: 'RSTR' },
  {
    name: 'W: not once the peer sent its FIN',
    segments: [...HANDSHAKE, ['A', 'FA', 101, 501], ['B', 'A', 501, 102, 0, 0]],
    history: 'ShAFa', connState: 'S2',
  },
  {
    name: 'W: not from a sender that reset',
    segments: [...HANDSHAKE, ['B', 'R', 501, 0], ['B', 'A', 501, 101, 0, 0]],
    history: 'ShAra', connState: 'RSTR',
  },
  {
    name: 'W: still counted after the sender\'s own FIN',
    segments: [...HANDSHAKE, ['A', 'FA', 101, 501], ['A', 'A', 102, 501, 0, 0]],
    history: 'ShAFW', connState: 'S2',
  },
  {
    name: 'W: log scale, the 10th adds another',
    segments: [...HANDSHAKE, ...times(10, ['B', 'A', 501, 101, 0, 0])],
    history: 'ShAaww', connState: 'S1',
  },
  // G: an ACK covering data that never arrived, only while both sides are cleanly open or closing.
  {
    name: 'G: acked bytes that were never seen',
    segments: [...HANDSHAKE, ['B', 'PA', 501, 101, 100], ['B', 'PA', 701, 101, 100], ['A', 'A', 101, 801]],
    history: 'ShAdg', connState: 'S1',
  },
  {
    name: 'G: out-of-order data that arrives in time is no gap (the late segment counts as a retransmission)',
    segments: [...HANDSHAKE, ['B', 'PA', 601, 101, 100], ['B', 'PA', 501, 101, 100], ['A', 'A', 101, 701]],
    history: 'ShAdt', connState: 'S1',
  },
  {
    name: 'G: acked data cut by the snaplen is a gap',
    segments: [...HANDSHAKE, ['B', 'PA', 501, 101, 100, 65535, 20], ['A', 'A', 101, 601]],
    history: 'ShAdg', connState: 'S1',
  },
  {
    name: 'G: none for a partial connection',
    segments: [['A', 'PA', 1000, 2000, 10], ['B', 'PA', 2000, 1010, 10], ['A', 'A', 1010, 2100]],
    history: 'DdA', connState: 'OTH',
  },
  {
    name: 'G: the ack of a FIN is not a missing byte',
    segments: [...HANDSHAKE, ['B', 'FA', 501, 101], ['A', 'A', 101, 502]],
    history: 'ShAf', connState: 'S3',
  },
  // Q and I: several control flags at once, each once per side.
  { name: 'Q: SYN and FIN together', segments: [['A', 'SF', 100, 0], ['A', 'SF', 100, 0]], history: 'Q', connState: 'SH' },
  { name: 'I: FIN and RST together', segments: [...HANDSHAKE, ['B', 'FRA', 501, 101], ['B', 'FRA', 501, 101]], history: 'ShAi', connState: 'RSTR' },
  { name: 'H: a SYN-ACK seen first from a non-server port keeps its sender as originator', segments: [['A', 'SA', 500, 101]], history: 'H', connState: 'OTH' },
];

describe('history letters', () => {
  it.each(CASES)('$name', ({ segments, history, connState }) => {
    const t = runSteps(segments);
    expect({ history: t.history, connState: t.connState() }).toEqual({ history, connState });
  });

  it("never writes 'C': checksums are not seen by the tracker", () => {
    const t = runSteps([...HANDSHAKE, ['A', 'PA', 101, 501, 10], ...CLOSE]);
    expect(t.history).not.toMatch(/[Cc]/);
  });

  it('marks a connection flipped at its first packet with ^', () => {
    expect(runSteps([['A', 'SA', 500, 101]], true).history).toBe('^h');
  });
});

describe('ZeekHistory', () => {
  it('spells every history right across the limit of histories it keeps shared', () => {
    // 8^5 = 32,768 distinct five-letter histories, eight times what is kept: the kept ones are started anew
    // several times while older histories are still being added to.
    const letters = ['S', 'H', 'F', 'R', 'D', 'A', 'T', 'W'];
    const open: { h: ZeekHistory; expected: string }[] = [];
    for (let n = 0; n < 8 ** 5; n++) {
      const h: ZeekHistory = { history: '', historySeen: 0 };
      let expected = '';
      for (let i = 0, x = n; i < 5; i++, x = Math.floor(x / 8)) {
        const isOrig = i % 2 === 0;
        addHistory(h, letters[x % 8], isOrig);
        expected += isOrig ? letters[x % 8] : letters[x % 8].toLowerCase();
      }
      // Some are added to again much later, after other histories restarted what is kept.
      if (n % 1000 === 0) open.push({ h, expected });
      else expect(h.history).toBe(expected);
    }
    for (const { h, expected } of open) {
      markFlip(h);
      addHistory(h, 'F', false);
      expect(h.history).toBe(`${expected}^f`);
    }
  });
});
