import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

function incident(finAt: number): TcpScript {
  return new TcpScript().handshake().fin('client').ack('server').at(finAt).fin('server').after(0.0002).rst('client', { ack: false });
}

describe('rst-after-late-fin', () => {
  it('a late FIN answered by a bare RST: delay measured, compared with tcp_fin_timeout', async () => {
    const [f] = ofKind((await detectScripts([incident(91)])).findings, 'rst-after-late-fin');
    expect(f).toMatchObject({ severity: 'warning', frames: [4, 5, 6, 7], measures: { rst_by: 'client', rst_with_ack: false, rst_seq_fit: 'exact' } });
    expect(f.measures?.fin_wait_2_s).toBeCloseTo(91 - 0.0004, 3);
    expect(f.explanation).toContain("longer than Linux's default tcp_fin_timeout (60 s)");
  });

  it('a 45 s delay says the host must have a shorter tcp_fin_timeout', async () => {
    const [f] = ofKind((await detectScripts([incident(45)])).findings, 'rst-after-late-fin');
    expect(f.explanation).toContain("shorter than Linux's default tcp_fin_timeout");
  });

  it('a late FIN answered by an ACK (the closer still had the connection) is not it', async () => {
    const s = new TcpScript().handshake().fin('client').ack('server').at(30).fin('server').ack('client');
    expect(ofKind((await detectScripts([s])).findings, 'rst-after-late-fin')).toEqual([]);
  });

  it('a RST long after the late FIN does not answer it', async () => {
    const s = new TcpScript().handshake().fin('client').ack('server').at(30).fin('server').at(40).rst('client', { ack: false });
    expect(ofKind((await detectScripts([s])).findings, 'rst-after-late-fin')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'rst-after-late-fin')).toEqual([]);
  });
});
