import { describeLabCapture } from './compare/lab-suite';

describeLabCapture('backlog-overflow', ['accept-delay', 'listener-saturation', 'syn-unanswered'], (lab) => {
  test('three connections waited in the full accept queue; the kernel saw the same peak', () => {
    expect(lab().truth.listeners[0]).toMatchObject({ backlog: 2, peak: 3 });
    expect(lab().agreement.queues[0].analyzerWaiting).toBe(3);
  });

  test('8 SYNs dropped, 7 retransmitted, one attempt never answered', () => {
    const { syns } = lab().agreement;
    expect(syns.dropped).toEqual({ truth: 8, analyzer: 8 });
    expect(syns.synRetransmits).toEqual({ truth: 7, analyzer: 7 });
    expect(syns.unanswered.analyzer).toHaveLength(1);
  });

  test('the retransmissions came as the kernel schedules them, and the second one got in', () => {
    // Linux retransmits a SYN after 1 s, then 1 s apart for tcp_syn_linear_timeouts times, then
    // doubling; its timers fire up to some 60 ms late (timer wheel slack, seen here).
    const linear = Number(lab().truth.lab.kernel.defaults['net.ipv4.tcp_syn_linear_timeouts'] ?? 0);
    const secondAfter = linear >= 2 ? 2 : 3;
    const late = lab().report.connections.filter((c) => c.events.filter((e) => e.type === 'syn-retransmit').length === 2);
    expect(late).toHaveLength(3);
    for (const c of late) {
      const [syn, first, second] = c.events.filter((e) => e.type === 'syn' || e.type === 'syn-retransmit');
      expect(Math.abs(first.at - syn.at - 1)).toBeLessThan(0.15);
      expect(Math.abs(second.at - syn.at - secondAfter)).toBeLessThan(0.15);
      expect(c.events.find((e) => e.type === 'syn-ack')?.frame).toBe(second.frame + 1);
    }
  });
});
