import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { legitimateHalfClose, LOOK_ALIKES } from './look-alikes';

describe('late-fin', () => {
  it('the server FIN 90 s after the client FIN, silent meanwhile', async () => {
    const s = new TcpScript().handshake().data('client', 100).data('server', 10).fin('client').ack('server').at(90.5).fin('server').ack('client');
    const [f] = ofKind((await detectScripts([s])).findings, 'late-fin');
    expect(f).toMatchObject({ severity: 'warning', connection: 0, frames: [6, 8], measures: { late_side: 'server' } });
    expect(f.duration_s).toBeCloseTo(90.5 - 0.0003, 3);
  });

  it('a late FIN right after the last of a stream of data is not late (the closer was busy)', async () => {
    expect(ofKind((await detectScripts([legitimateHalfClose()])).findings, 'late-fin')).toEqual([]);
  });

  it('no second FIN: not a late FIN (that is half-closed)', async () => {
    const s = new TcpScript().handshake().fin('client').ack('server').at(60).data('client', 0);
    expect(ofKind((await detectScripts([s])).findings, 'late-fin')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'late-fin')).toEqual([]);
  });
});
