import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('fin-unacked', () => {
  it('a FIN retransmitted and never acknowledged: warning, lower bound to the end of the capture', async () => {
    const s = new TcpScript().handshake().fin('server').at(1).finRetransmit('server').at(3).finRetransmit('server').at(7).finRetransmit('server');
    const [f] = ofKind((await detectScripts([s])).findings, 'fin-unacked');
    expect(f).toMatchObject({ severity: 'warning', duration_is_lower_bound: true, measures: { fin_by: 'server', retransmissions: 3, acknowledged: false } });
    expect(f.duration_s).toBeCloseTo(7 - 0.0003, 3);
  });

  it('a FIN acknowledged after a retransmission: info', async () => {
    const s = new TcpScript().handshake().fin('client').at(0.3).finRetransmit('client').ack('server').fin('server').ack('client');
    const [f] = ofKind((await detectScripts([s])).findings, 'fin-unacked');
    expect(f).toMatchObject({ severity: 'info', measures: { retransmissions: 1, acknowledged: true } });
  });

  it('a FIN in the last moments of the capture is not judged', async () => {
    const s = new TcpScript().handshake().fin('client');
    expect(ofKind((await detectScripts([s])).findings, 'fin-unacked')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'fin-unacked')).toEqual([]);
  });
});
