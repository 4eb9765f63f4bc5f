import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('idle-timeout', () => {
  it.each<[number, string]>([
    [90.02, "Go http.Transport's IdleConnTimeout (90 s)"],
    [75.1, 'nginx keepalive_timeout default (75 s)'],
    [350.4, 'AWS NLB / NAT gateway idle timeout (350 s)'],
  ])('a close after %f s idle matches %s', async (idle, what) => {
    const s = new TcpScript().handshake().data('client', 10).data('server', 10).after(idle).fin('client').fin('server').ack('client');
    const [f] = ofKind((await detectScripts([s])).findings, 'idle-timeout');
    expect(f).toMatchObject({ severity: 'info', measures: { closed_by: 'client', matches: what } });
    expect(f.duration_s).toBeCloseTo(idle, 3);
  });

  it('an idle time matching nothing known is not reported', async () => {
    const s = new TcpScript().handshake().data('client', 10).after(42).fin('client').fin('server').ack('client');
    expect(ofKind((await detectScripts([s])).findings, 'idle-timeout')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'idle-timeout')).toEqual([]);
  });
});
