import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('zero-window', () => {
  it('the client stops reading, the server gives up with RST while the window is zero', async () => {
    const s = new TcpScript().handshake().data('server', 1000).window('client', 0).at(20).rst('server');
    const [f] = ofKind((await detectScripts([s])).findings, 'zero-window');
    expect(f).toMatchObject({ severity: 'warning', measures: { stalled_side: 'client', teardown_during_zero_window: true }, frames: [5, 6] });
    expect(f.duration_s).toBeCloseTo(20 - 0.0003, 3);
  });

  it('a brief zero window that reopens is flow control, not a finding', async () => {
    const s = new TcpScript().handshake().data('server', 1000).window('client', 0).after(0.05).window('client', 65535)
      .fin('client').fin('server').ack('client');
    expect(ofKind((await detectScripts([s])).findings, 'zero-window')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'zero-window')).toEqual([]);
  });
});
