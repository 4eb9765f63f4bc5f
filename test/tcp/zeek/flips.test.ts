import { isLikelyServerPort, ZeekConnTracker, zeekFlipsFirstPacket } from '../../../src/tcp/zeek';
import { flagBits, HANDSHAKE, runSteps, type Step } from './steps';

describe('zeekFlipsFirstPacket', () => {
  it.each([
    // [flags, src port, dst port, flips]
    ['S', 80, 51000, false], // a pure SYN is always from the originator
    ['SA', 80, 51000, true], // SYN-ACK from a server port
    ['SA', 51000, 80, false],
    ['SA', 443, 80, false], // both likely: a SYN-ACK never flips
    ['A', 80, 51000, true], // mid-stream packet from a server port
    ['PA', 22, 8080, true], // both likely: flip when the source port is lower
    ['PA', 8080, 22, false],
    ['R', 80, 1576, true],
    ['FA', 51000, 52000, false], // neither is a server port
  ] as const)('%s %i > %i flips: %s', (flags, src, dst, flips) => {
    expect(zeekFlipsFirstPacket(flagBits(flags), src, dst)).toBe(flips);
  });

  it('knows the ports of Zeek’s default protocol scripts, not every port below 1024', () => {
    expect([21, 22, 25, 53, 80, 443, 993, 3306, 6669, 8080].every(isLikelyServerPort)).toBe(true);
    expect([23, 110, 1023, 1433, 2745].some(isLikelyServerPort)).toBe(false);
  });
});

describe('role flips during a connection', () => {
  it('SYN-ACK then an ACK from the other side: rewritten to ^h, the ACK is the originator’s', () => {
    const flips: boolean[] = [];
    const steps: Step[] = [['A', 'SA', 500, 101], ['B', 'A', 101, 501], ['B', 'PA', 101, 501, 10]];
    const t = runSteps(steps, false, (tr) => flips.push(tr.rolesFlipped));
    expect(flips).toEqual([false, true, false]);
    expect(t.history).toBe('^hAD');
    expect([t.origPkts, t.respPkts]).toEqual([2, 1]);
  });

  it('SYN-ACK then more from the same side: ^h and the rest is the responder’s', () => {
    const t = runSteps([['A', 'SA', 500, 101], ['A', 'A', 501, 101], ['A', 'FA', 501, 101]]);
    expect(t.history).toBe('^haf');
    expect([t.origPkts, t.respPkts, t.connState()]).toEqual([0, 3, 'SHR']);
  });

  it('no rewrite when the SYN-ACK is followed by a RST or another SYN-ACK', () => {
    expect(runSteps([['A', 'SA', 500, 101], ['B', 'RA', 101, 501]]).history).toBe('Hr');
    expect(runSteps([['A', 'SA', 500, 101], ['A', 'SA', 500, 101]]).history).toBe('H');
  });

  it('no rewrite once the history is more than a lone H', () => {
    expect(runSteps([['A', 'SA', 500, 101], ['B', 'R', 101, 0], ['B', 'A', 101, 501]]).history).toBe('Hra');
  });

  it('a pure SYN answering the SYN-ACK seen first flips the roles', () => {
    const flips: boolean[] = [];
    const steps: Step[] = [['A', 'SA', 500, 101], ['B', 'S', 100, 0], ['B', 'A', 101, 501]];
    const t = runSteps(steps, false, (tr) => flips.push(tr.rolesFlipped));
    expect(flips).toEqual([false, true, false]);
    expect(t.history).toBe('Hs^A');
    expect([t.origState, t.respState, t.connState()]).toEqual(['ESTABLISHED', 'ESTABLISHED', 'S1']);
    // Zeek counts the flipping SYN with the direction it had before the flip.
    expect([t.origPkts, t.respPkts]).toEqual([1, 2]);
  });
});

describe('isReuse: a SYN that starts a new connection on the same 4-tuple', () => {
  const after = (steps: readonly Step[]): ZeekConnTracker => runSteps(steps);

  it.each([
    ['a retransmitted SYN', [['A', 'S', 100, 0]], 'S', 100, false],
    ['a SYN with a new ISN', [['A', 'S', 100, 0]], 'S', 900, true],
    ['the same SYN once established', HANDSHAKE, 'S', 100, false],
    ['a new SYN after a close', [...HANDSHAKE, ['A', 'FA', 101, 501]], 'S', 100, true],
    ['the SYN belonging to a SYN-ACK seen first', [['A', 'SA', 500, 101]], 'S', 100, false],
    ['a SYN-ACK once the originator is active', [['A', 'S', 100, 0]], 'SA', 700, false],
    ['a non-SYN segment', [['A', 'S', 100, 0]], 'A', 900, false],
  ] as Array<[string, Step[], string, number, boolean]>)('%s', (_, steps, flags, seq, reuse) => {
    expect(after(steps).isReuse(flagBits(flags), seq)).toBe(reuse);
  });
});
