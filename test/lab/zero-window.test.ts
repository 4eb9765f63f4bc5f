import { describeLabCapture } from './compare/lab-suite';

describeLabCapture('zero-window', ['zero-window'], (lab) => {
  test('the window stayed shut while the server did not read (2 s), then the connection closed normally', () => {
    const [conn] = lab().report.connections;
    const shut = conn.events.find((e) => e.type === 'zero-window' && e.by === 'server');
    const reopened = conn.events.find((e) => e.type === 'window-reopen' && e.by === 'server');
    const pauseS = Number(lab().truth.params.pause_ms) / 1000;
    // It shuts a few ms after the server stops reading (when the 4 KiB buffer is full).
    expect((reopened?.at ?? 0) - (shut?.at ?? 0)).toBeGreaterThan(pauseS - 0.2);
    expect((reopened?.at ?? 0) - (shut?.at ?? 0)).toBeLessThanOrEqual(pauseS);
    expect(conn.ending).toBe('fin');
  });

  test('meanwhile the kernel held a full receive buffer the application did not read', () => {
    const tc = lab().truth.connections[0];
    const estab = tc.states.server.find((s) => s.state === 'ESTAB');
    expect(estab?.recv_q_max).toBeGreaterThan(1000);
  });
});
