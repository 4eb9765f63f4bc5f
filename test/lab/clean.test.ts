import { describeLabCapture } from './compare/lab-suite';

describeLabCapture('clean', [], (lab) => {
  test('every connection ended with two FINs and no RST', () => {
    expect(lab().report.connections.map((c) => c.ending)).toEqual(['fin', 'fin', 'fin', 'fin', 'fin', 'fin']);
  });

  test('the simultaneous close and the reused TIME_WAIT, by both accounts', () => {
    const { simultaneous, reuse } = lab().agreement;
    expect(simultaneous.analyzer).toHaveLength(1);
    expect(reuse.analyzer).toEqual([`${lab().truth.lab.addresses.client.v4}:${lab().truth.params.reused_client_port}`]);
  });

  test('the half-close: the server kept sending after the client\'s FIN', () => {
    const halfClose = lab().report.connections.filter((c) => {
      const clientFin = c.events.find((e) => e.type === 'fin' && e.by === 'client');
      const serverData = c.events.find((e) => e.type === 'last-data' && e.by === 'server');
      return clientFin && serverData && serverData.frame > clientFin.frame;
    });
    expect(halfClose).toHaveLength(1);
  });
});
