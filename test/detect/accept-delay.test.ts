import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('accept-delay', () => {
  it('request acknowledged, answered 30 s later', async () => {
    const s = new TcpScript().handshake().data('client', 100).ack('server').at(30).data('server', 500).fin('server').fin('client').ack('server');
    const [f] = ofKind((await detectScripts([s])).findings, 'accept-delay');
    expect(f).toMatchObject({ severity: 'warning', connection: 0, listener: '10.0.0.2:80', frames: [3, 4, 6], measures: { request: 'data' } });
    expect(f.duration_s).toBeCloseTo(30 - 0.0003, 3);
  });

  it('a health check that closes at once and gets the server FIN 90 s later', async () => {
    const s = new TcpScript().handshake().fin('client').ack('server').at(90).fin('server');
    const [f] = ofKind((await detectScripts([s])).findings, 'accept-delay');
    expect(f.measures).toMatchObject({ request: 'fin' });
    expect(f.duration_s).toBeCloseTo(90 - 0.0003, 3);
  });

  it('a server that speaks first (banner) had accepted: no finding', async () => {
    const s = new TcpScript().handshake().data('server', 40).data('client', 10).at(30).data('server', 10).fin('client').fin('server').ack('client');
    expect(ofKind((await detectScripts([s])).findings, 'accept-delay')).toEqual([]);
  });

  it('a quick answer: no finding', async () => {
    const s = new TcpScript().handshake().data('client', 100).after(0.5).data('server', 100).fin('client').fin('server').ack('client');
    expect(ofKind((await detectScripts([s])).findings, 'accept-delay')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'accept-delay')).toEqual([]);
  });
});
