import { describeLabCapture } from './compare/lab-suite';

/** The incident, recorded once (captures/keepalive-starvation.*): the numbers below are that run's. */
describeLabCapture('keepalive-starvation', [
  'accept-delay', 'half-closed', 'late-fin', 'listener-saturation', 'rst-after-late-fin', 'syn-unanswered',
], (lab) => {
  test('three health checks sat in CLOSE_WAIT on the server, not yet accepted, for 4.5 to 6 s', () => {
    const cws = lab().agreement.closeWaits.filter((c) => c.truth !== null && c.truth.to - c.truth.from > 1);
    expect(cws.map((c) => c.role)).toEqual(['server', 'server', 'server']);
    for (const c of cws) {
      const kernel = (c.truth?.to ?? 0) - (c.truth?.from ?? 0);
      const wire = (c.analyzer?.to ?? 0) - (c.analyzer?.from ?? 0);
      expect(kernel).toBeGreaterThan(4.4);
      // The kernel's span runs between snapshots: the real one is up to two poll intervals longer.
      expect(wire).toBeGreaterThanOrEqual(kernel - 0.05);
      expect(wire).toBeLessThanOrEqual(kernel + 2 * lab().truth.poll.interval_s + 0.05);
    }
  });

  test('their late FINs met RSTs: the client had reaped FIN_WAIT2 after tcp_fin_timeout (3 s)', () => {
    const { lateFinRsts } = lab().agreement;
    expect(lateFinRsts.analyzer).toHaveLength(3);
    for (const key of lateFinRsts.truth) {
      const tc = lab().truth.connections.find((c) => c.client === key);
      const finWait2 = tc?.states.client.find((s) => s.state === 'FIN-WAIT-2');
      expect((finWait2?.to ?? 0) - (finWait2?.from ?? 0)).toBeCloseTo(3, 0);
    }
  });

  test('the accept queue peaked at somaxconn + 1 = 3, the connections seen waiting on the wire', () => {
    expect(lab().truth.listeners[0]).toMatchObject({ backlog: 2, peak: 3 });
    expect(lab().agreement.queues[0].analyzerWaiting).toBe(3);
  });

  test('16 SYNs dropped by the full queue, 9 retransmitted, 7 attempts never answered', () => {
    const { syns } = lab().agreement;
    expect(syns.dropped).toEqual({ truth: 16, analyzer: 16 });
    expect(syns.synRetransmits).toEqual({ truth: 9, analyzer: 9 });
    expect(syns.unanswered.analyzer).toHaveLength(7);
  });

  test('the findings measure what the kernels saw: CLOSE_WAIT spans, the RST set, the queue peak', () => {
    const { report, truth } = lab();
    const poll = truth.poll.interval_s;
    for (const f of report.findings.filter((x) => x.kind === 'half-closed')) {
      const conn = report.connections.find((c) => c.id === f.connection);
      const kernel = truth.connections.find((c) => c.client === conn?.client)?.states.server.find((st) => st.state === 'CLOSE-WAIT');
      expect(kernel).toBeDefined();
      const span = (kernel?.to ?? 0) - (kernel?.from ?? 0);
      expect(f.duration_s).toBeGreaterThanOrEqual(span - 0.05);
      expect(f.duration_s).toBeLessThanOrEqual(span + 2 * poll + 0.05);
    }
    const rstClients = report.findings.filter((x) => x.kind === 'rst-after-late-fin')
      .map((f) => report.connections.find((c) => c.id === f.connection)?.client).sort();
    expect(rstClients).toEqual([...lab().agreement.lateFinRsts.truth].sort());
    const saturation = report.findings.find((x) => x.kind === 'listener-saturation');
    expect(saturation).toMatchObject({ limit: 1, waiting_max: truth.listeners[0].peak });
  });
});
