import { describeLabCapture } from './compare/lab-suite';

describeLabCapture('abortive-close', ['abortive-close'], (lab) => {
  test('closing with unread data resets instead of finishing (server TcpExtTCPAbortOnClose)', () => {
    const [unread] = lab().report.connections;
    expect(unread.events.filter((e) => e.type === 'rst').map((e) => e.by)).toEqual(['server']);
    expect(unread.events.some((e) => e.type === 'fin' && e.by === 'server')).toBe(false);
    expect(lab().truth.counters.server.TcpExtTCPAbortOnClose).toBe(1);
    // The kernel held the 1000 bytes the application never read, then the socket vanished (no FIN states).
    const tc = lab().truth.connections.find((c) => c.client === unread.client);
    expect(tc?.states.server).toEqual([expect.objectContaining({ state: 'ESTAB', recv_q_max: 1000 })]);
  });

  test('SO_LINGER 0 resets at once (client TcpExtTCPAbortOnData, as Linux counts it)', () => {
    const [, linger] = lab().report.connections;
    expect(linger.ending).toBe('rst');
    expect(linger.events.filter((e) => e.type === 'rst').map((e) => e.by)).toEqual(['client']);
    expect(lab().truth.counters.client.TcpExtTCPAbortOnData).toBe(1);
  });
});
