import { describeLabCapture } from './compare/lab-suite';

describeLabCapture('close-wait-leak', ['half-closed'], (lab) => {
  test('two server sides were still in CLOSE_WAIT when the capture ended, by both accounts', () => {
    const open = lab().agreement.closeWaits.filter((c) => c.truth?.open);
    expect(open.map((c) => c.role)).toEqual(['server', 'server']);
    for (const c of open) expect(c.analyzer?.to).toBeNull();
    const stillOpen = lab().report.connections.filter((c) => c.final_state.server === 'CLOSE_WAIT');
    expect(stillOpen.map((c) => c.client)).toEqual(open.map((c) => c.key));
  });

  test('the client had forgotten them (FIN_WAIT2 reaped after 2 s) while the server held on', () => {
    for (const key of lab().agreement.closeWaits.filter((c) => c.truth?.open).map((c) => c.key)) {
      const tc = lab().truth.connections.find((c) => c.client === key);
      const finWait2 = tc?.states.client.find((s) => s.state === 'FIN-WAIT-2');
      const closeWait = tc?.states.server.find((s) => s.state === 'CLOSE-WAIT');
      expect(finWait2 && closeWait && closeWait.to - finWait2.to).toBeGreaterThan(1);
    }
  });

  test('a pcap ends with its last packet: the analyzer\'s CLOSE_WAIT is a lower bound of the kernel\'s', () => {
    const { report } = lab();
    for (const f of report.findings) {
      expect(f.duration_is_lower_bound).toBe(true);
      const cw = lab().agreement.closeWaits.find((c) => c.key === report.connections[f.connection ?? -1].client);
      expect(f.duration_s).toBeLessThanOrEqual((cw?.truth?.to ?? 0) - (cw?.truth?.from ?? 0) + 0.05);
    }
  });
});
