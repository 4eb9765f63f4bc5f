import { describeLabCapture } from './compare/lab-suite';

describeLabCapture('keepalive-race', ['keepalive-race'], (lab) => {
  test('the request crossed the server\'s idle-timeout FIN and was answered by RST', () => {
    const raced = lab().report.connections.filter((c) => c.events.some((e) => e.type === 'rst'));
    expect(raced).toHaveLength(1);
    const ev = (type: string, by: string) => raced[0].events.find((e) => e.type === type && e.by === by);
    const fin = ev('fin', 'server');
    const request = ev('last-data', 'client');
    const rst = ev('rst', 'server');
    expect(fin && request && rst && fin.frame < request.frame && request.frame < rst.frame).toBe(true);
    // Crossed: the request was sent before the FIN arrived, so it does not acknowledge it.
    expect(request?.ack).toBe(fin?.seq);
    expect(lab().truth.counters.server.TcpExtTCPAbortOnData).toBe(1);
  });

  test('the server closed idle keep-alive connections after keepAliveTimeout + 1 s (Node 20)', () => {
    const first = lab().report.connections[0];
    const answer = first.events.find((e) => e.type === 'last-data' && e.by === 'server');
    const fin = first.events.find((e) => e.type === 'fin' && e.by === 'server');
    expect((fin?.at ?? 0) - (answer?.at ?? 0)).toBeCloseTo(2, 1);
  });

  test('the client retried on a new connection, which ended normally', () => {
    const last = lab().report.connections[lab().report.connections.length - 1];
    expect(last.ending).toBe('fin');
    expect(lab().report.connections).toHaveLength(3);
  });
});
