import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES, legitimateHalfClose } from './look-alikes';

describe('half-closed', () => {
  it('server silent for 90 s after the client FIN, then FIN: warning, 90 s, CLOSE_WAIT on the server', async () => {
    const s = new TcpScript().handshake().data('client', 100).data('server', 200).fin('client').ack('server').at(90).fin('server').ack('client');
    const [f] = ofKind((await detectScripts([s])).findings, 'half-closed');
    expect(f).toMatchObject({ severity: 'warning', connection: 0, listener: '10.0.0.2:80', frames: [6, 7, 8] });
    expect(f.duration_s).toBeCloseTo(90, 3);
    expect(f.duration_is_lower_bound).toBeUndefined();
    expect(f.measures).toMatchObject({ silent_side: 'server', data_after_fin: false, never_sent_data: false });
    expect(f.summary).toContain('CLOSE_WAIT for 90.0 s');
    expect(f.filter).toBe('frame.number in {6 7 8}');
  });

  it('never closed before the capture ended: a lower bound, and the never-accepted flavour', async () => {
    const s = new TcpScript().handshake().fin('client').ack('server');
    const other = new TcpScript({ client: '10.0.0.9:1234', start: 1_700_000_030 }).handshake();
    const [f] = ofKind((await detectScripts([s, other])).findings, 'half-closed');
    expect(f.duration_is_lower_bound).toBe(true);
    expect(f.duration_s).toBeCloseTo(30, 2);
    expect(f.measures).toMatchObject({ never_sent_data: true });
    expect(f.summary).toContain('at least 30.0 s');
    expect(f.summary).toContain('not yet accepted');
  });

  it('below the threshold: nothing; a lower threshold finds it', async () => {
    const s = () => new TcpScript().handshake().fin('client').ack('server').at(3).fin('server').ack('client');
    expect(ofKind((await detectScripts([s()])).findings, 'half-closed')).toEqual([]);
    expect(ofKind((await detectScripts([s()], { halfCloseS: 2 })).findings, 'half-closed')).toHaveLength(1);
  });

  it('a legitimate half-close is info, not a warning', async () => {
    const [f] = ofKind((await detectScripts([legitimateHalfClose()])).findings, 'half-closed');
    expect(f).toMatchObject({ severity: 'info', measures: { data_after_fin: true } });
  });

  it.each(LOOK_ALIKES.filter(([name]) => !name.includes('half-close')))('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'half-closed')).toEqual([]);
  });
});
