import { HANDSHAKE, runSteps, type Step } from './steps';

interface Case {
  name: string;
  segments: readonly Step[];
  /** The first segment's destination is the originator (zeekFlipsFirstPacket said so). */
  flipped?: boolean;
  history: string;
  connState: string;
}

const CASES: readonly Case[] = [
  { name: 'unanswered SYN', segments: [['A', 'S', 100, 0]], history: 'S', connState: 'S0' },
  { name: 'established, no close', segments: HANDSHAKE, history: 'ShA', connState: 'S1' },
  {
    name: 'FIN both ways',
    segments: [...HANDSHAKE, ['A', 'FA', 101, 501], ['B', 'FA', 501, 102], ['A', 'A', 102, 502]],
    history: 'ShAFf', connState: 'SF',
  },
  { name: 'SYN answered by RST', segments: [['A', 'S', 100, 0], ['B', 'RA', 0, 101]], history: 'Sr', connState: 'REJ' },
  {
    name: 'both reset, nothing sent',
    segments: [...HANDSHAKE, ['A', 'RA', 101, 501], ['B', 'R', 501, 0]],
    history: 'ShARr', connState: 'REJ',
  },
  {
    name: 'originator closed, responder open',
    segments: [...HANDSHAKE, ['A', 'FA', 101, 501], ['B', 'A', 501, 102]],
    history: 'ShAFa', connState: 'S2',
  },
  { name: 'responder closed, originator open', segments: [...HANDSHAKE, ['B', 'FA', 501, 101]], history: 'ShAf', connState: 'S3' },
  { name: 'originator reset', segments: [...HANDSHAKE, ['A', 'RA', 101, 501]], history: 'ShAR', connState: 'RSTO' },
  { name: 'responder reset', segments: [...HANDSHAKE, ['B', 'RA', 501, 101]], history: 'ShAr', connState: 'RSTR' },
  { name: 'SYN then own RST', segments: [['A', 'S', 100, 0], ['A', 'R', 101, 0]], history: 'SR', connState: 'RSTOS0' },
  {
    name: 'SYN, responder ack, own RST',
    segments: [['A', 'S', 0, 0], ['B', 'A', 0, 0], ['A', 'R', 1, 0]],
    history: 'SaR', connState: 'RSTOS0',
  },
  {
    name: 'responder RST with no handshake from the originator',
    segments: [['A', 'PA', 1000, 2000, 10], ['B', 'RA', 2000, 1010]],
    history: 'Dr', connState: 'RSTRH',
  },
  { name: 'lone RST from a server port', segments: [['A', 'RA', 2000, 1000]], flipped: true, history: '^r', connState: 'RSTRH' },
  { name: 'SYN then FIN, no answer', segments: [['A', 'S', 100, 0], ['A', 'F', 101, 0]], history: 'SF', connState: 'SH' },
  {
    name: 'server FIN first seen, client acks',
    segments: [['A', 'FA', 2000, 1000], ['B', 'A', 1000, 2001]],
    flipped: true, history: '^fA', connState: 'SHR',
  },
  { name: 'lone RST', segments: [['A', 'R', 1000, 0]], history: 'R', connState: 'OTH' },
  {
    name: 'SYN, ack, FIN, RST (FIN breaks RSTOS0)',
    segments: [['A', 'S', 0, 0], ['B', 'A', 0, 0], ['A', 'F', 1, 0], ['A', 'R', 1, 0]],
    history: 'SaFR', connState: 'OTH',
  },
  {
    name: 'mid-stream data both ways',
    segments: [['A', 'PA', 1000, 2000, 10], ['B', 'PA', 2000, 1010, 20]],
    history: 'Dd', connState: 'OTH',
  },
];

describe('conn_state from segments', () => {
  it.each(CASES)('$connState: $name', ({ segments, flipped, history, connState }) => {
    const t = runSteps(segments, flipped);
    expect({ history: t.history, connState: t.connState() }).toEqual({ history, connState });
  });

  it('covers every conn_state value', () => {
    const all = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'];
    expect(new Set(CASES.map((c) => c.connState))).toEqual(new Set(all));
  });
});
