import { ZEEK_STATE_CODE } from '../../../src/tcp/zeek';
import { HANDSHAKE, runSteps, stateTrail, type Step } from './steps';

/** Each segment with the `ORIG/RESP` endpoint states right after it. */
type Row = [step: Step, states: string];

const HANDSHAKE_ROWS: readonly Row[] = [
  [HANDSHAKE[0], 'SYN_SENT/INACTIVE'],
  [HANDSHAKE[1], 'ESTABLISHED/ESTABLISHED'],
  [HANDSHAKE[2], 'ESTABLISHED/ESTABLISHED'],
];

interface Case {
  name: string;
  rows: readonly Row[];
  flipped?: boolean;
  connState: string;
}

const CASES: readonly Case[] = [
  {
    name: 'handshake and FIN exchange',
    rows: [
      ...HANDSHAKE_ROWS,
      [['A', 'FA', 101, 501], 'CLOSED/ESTABLISHED'],
      [['B', 'FA', 501, 102], 'CLOSED/CLOSED'],
    ],
    connState: 'SF',
  },
  {
    name: 'seen from the middle',
    rows: [
      [['A', 'PA', 1000, 2000, 10], 'PARTIAL/INACTIVE'],
      [['B', 'A', 2000, 1010], 'PARTIAL/PARTIAL'],
    ],
    connState: 'OTH',
  },
  {
    name: 'SYN-ACK first, its sender kept as originator',
    rows: [[['A', 'SA', 500, 101], 'SYN_ACK_SENT/INACTIVE']],
    connState: 'OTH',
  },
  {
    name: 'an ack before the SYN-ACK does not make the responder partial',
    rows: [
      [['A', 'S', 100, 0], 'SYN_SENT/INACTIVE'],
      [['B', 'A', 500, 101], 'SYN_SENT/INACTIVE'],
    ],
    connState: 'S0',
  },
  {
    name: 'SYN from a side first seen mid-stream',
    rows: [
      [['A', 'PA', 1000, 0, 10], 'PARTIAL/INACTIVE'],
      [['A', 'S', 5000, 0], 'SYN_SENT/INACTIVE'],
    ],
    connState: 'S0',
  },
  {
    name: 'missed SYN: an ACK after the SYN-ACK establishes, not partial',
    rows: [
      [['A', 'SA', 500, 101], 'INACTIVE/ESTABLISHED'],
      [['B', 'A', 101, 501], 'ESTABLISHED/ESTABLISHED'],
    ],
    flipped: true,
    connState: 'S1',
  },
  {
    name: 'FIN then RST from one side, then the peer FIN: a normal close after all',
    rows: [
      ...HANDSHAKE_ROWS,
      [['A', 'FA', 101, 501], 'CLOSED/ESTABLISHED'],
      [['A', 'R', 102, 0], 'RESET/ESTABLISHED'],
      [['B', 'FA', 501, 102], 'CLOSED/CLOSED'],
    ],
    connState: 'SF',
  },
  {
    name: 'RST after both FINs changes nothing (the R still shows in history)',
    rows: [
      ...HANDSHAKE_ROWS,
      [['A', 'FA', 101, 501], 'CLOSED/ESTABLISHED'],
      [['B', 'FA', 501, 102], 'CLOSED/CLOSED'],
      [['A', 'R', 102, 0], 'CLOSED/CLOSED'],
    ],
    connState: 'SF',
  },
  {
    name: 'RST after own FIN while the peer is open',
    rows: [
      ...HANDSHAKE_ROWS,
      [['A', 'FA', 101, 501], 'CLOSED/ESTABLISHED'],
      [['A', 'R', 102, 0], 'RESET/ESTABLISHED'],
    ],
    connState: 'RSTO',
  },
  {
    name: 'segments after a RST leave the state alone',
    rows: [
      ...HANDSHAKE_ROWS,
      [['B', 'RA', 501, 101], 'ESTABLISHED/RESET'],
      [['B', 'FA', 501, 101], 'ESTABLISHED/RESET'],
    ],
    connState: 'RSTR',
  },
  {
    name: 'FIN from the SYN_SENT state',
    rows: [
      [['A', 'S', 100, 0], 'SYN_SENT/INACTIVE'],
      [['A', 'F', 100, 0], 'CLOSED/INACTIVE'],
      [['B', 'SA', 500, 101], 'CLOSED/ESTABLISHED'],
      [['B', 'R', 501, 0], 'CLOSED/RESET'],
    ],
    connState: 'RSTR',
  },
];

describe('endpoint states', () => {
  it.each(CASES)('$name', ({ rows, flipped, connState }) => {
    const steps = rows.map(([step]) => step);
    expect(stateTrail(steps, flipped)).toEqual(rows.map(([, states]) => states));
    expect(runSteps(steps, flipped).connState()).toBe(connState);
  });

  it("numbers states as Zeek prints them (TCP_INACTIVE = 0 … TCP_RESET = 6)", () => {
    expect(Object.values(ZEEK_STATE_CODE)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
