import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('keepalive-race', () => {
  it('the server closes after 5 s idle, the client sends a request right then and gets RST', async () => {
    const s = new TcpScript().handshake().data('client', 100).data('server', 100).ack('client')
      .at(5.0005).fin('server').after(0.0001).data('client', 100).after(0.0001).rst('server');
    const { findings } = await detectScripts([s]);
    const [f] = ofKind(findings, 'keepalive-race');
    expect(f).toMatchObject({ severity: 'warning', frames: [7, 8, 9], measures: { closed_by: 'server', matches: 'Node.js server.keepAliveTimeout (5 s)' } });
    expect(f.duration_s).toBeCloseTo(5, 2);
    expect(ofKind(findings, 'abortive-close')).toEqual([]);
  });

  it('data after the peer FIN that is answered normally is a half-close, not a race', async () => {
    const s = new TcpScript().handshake().fin('server').data('client', 100).ack('server').fin('client').ack('server');
    expect(ofKind((await detectScripts([s])).findings, 'keepalive-race')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'keepalive-race')).toEqual([]);
  });
});
