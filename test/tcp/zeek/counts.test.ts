import { seqAdd, seqDiff } from '../../../src/flow/seq';
import { runSteps, type Step } from './steps';

describe('sequence arithmetic mod 2^32', () => {
  it.each([
    [10, 5, 5],
    [5, 10, -5],
    [3, 0xffff_fffe, 5], // across the wrap
    [0xffff_fffe, 3, -5],
    [0x8000_0000, 0, -0x8000_0000],
  ])('%i after %i by %i', (a, b, d) => {
    expect(seqDiff(b, a)).toBe(d);
  });

  it('u32 wraps', () => {
    expect(seqAdd(0xffff_ffff, 2)).toBe(1);
    expect(seqAdd(0, -1)).toBe(0xffff_ffff);
  });
});

/** A handshake from ISNs `a`, `b`, `n` data segments of `size` bytes from A, then FINs both ways. */
function transfer(a: number, b: number, n: number, size: number): Step[] {
  const steps: Step[] = [['A', 'S', a, 0], ['B', 'SA', b, a + 1], ['A', 'A', a + 1, b + 1]];
  let seq = a + 1;
  for (let i = 0; i < n; i++) {
    steps.push(['A', 'A', seq, b + 1, size]);
    seq += size;
    steps.push(['B', 'A', b + 1, seq]);
  }
  steps.push(['A', 'FA', seq, b + 1], ['B', 'FA', b + 1, seq + 1]);
  return steps;
}

describe('orig_bytes / resp_bytes: from sequence numbers, as Zeek computes them', () => {
  it('counts payload, not SYN or FIN', () => {
    const t = runSteps(transfer(1000, 5000, 3, 100));
    expect([t.origBytes, t.respBytes]).toEqual([300, 0]);
  });

  it('across the 2^32 wrap', () => {
    const t = runSteps(transfer(0xffff_ff00, 7, 4, 100));
    expect([t.origBytes, t.respBytes, t.connState()]).toEqual([400, 0, 'SF']);
  });

  it('beyond 4 GiB: every wrap is counted', () => {
    const t = runSteps(transfer(0x1000, 7, 6, 1_000_000_000));
    expect(t.origBytes).toBe(6_000_000_000);
  });

  it('includes bytes the peer acked but we never saw', () => {
    const t = runSteps([['A', 'S', 100, 0], ['B', 'SA', 500, 101], ['A', 'A', 101, 501], ['B', 'A', 501, 1101]]);
    expect(t.origBytes).toBe(1000);
  });

  it('retransmissions do not count twice', () => {
    const t = runSteps([...transfer(1000, 5000, 1, 100).slice(0, 4), ['A', 'A', 1001, 5001, 100]]);
    expect([t.origBytes, t.history]).toEqual([100, 'ShADT']);
  });

  it('a partial connection numbers from its first segment', () => {
    const t = runSteps([['A', 'PA', 7000, 9000, 50], ['B', 'PA', 9000, 7050, 20], ['A', 'PA', 7050, 9020, 50]]);
    expect([t.origBytes, t.respBytes]).toEqual([100, 20]);
  });

  it('a half-open connection discovered and aborted has no bytes', () => {
    // A SYN, a bare ack far ahead from a peer that never answered the SYN, then our RST.
    const t = runSteps([['A', 'S', 100, 0], ['B', 'A', 900, 5000], ['A', 'R', 101, 0]]);
    expect([t.origBytes, t.connState()]).toEqual([0, 'RSTOS0']);
  });
});

describe('packet and IP byte counts', () => {
  it('count every segment by direction', () => {
    const t = runSteps(transfer(1000, 5000, 2, 100));
    // The steps helper gives each segment an IP length of 40 + payload.
    expect([t.origPkts, t.respPkts, t.origIpBytes, t.respIpBytes]).toEqual([5, 4, 400, 160]);
  });
});
