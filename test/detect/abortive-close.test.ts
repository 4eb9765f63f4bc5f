import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

async function reason(s: TcpScript): Promise<unknown> {
  return ofKind((await detectScripts([s])).findings, 'abortive-close').map((f) => f.measures?.reason);
}

describe('abortive-close', () => {
  it('refused: RST answering the SYN', async () => {
    expect(await reason(new TcpScript().syn().after(0.0001).rst('server'))).toEqual(['refused']);
  });

  it('no-connection: a bare RST answering a segment', async () => {
    expect(await reason(new TcpScript().handshake().data('client', 10).rst('server', { ack: false }))).toEqual(['no-connection']);
  });

  it('abort: RST/ACK right after the peer sent data (unread data, or SO_LINGER 0)', async () => {
    expect(await reason(new TcpScript().handshake().data('client', 10).data('server', 10).data('client', 500).rst('server'))).toEqual(['abort']);
  });

  it('after-idle: RST after 120 s of silence', async () => {
    expect(await reason(new TcpScript().handshake().data('client', 10).data('server', 10).at(120).rst('server'))).toEqual(['after-idle']);
  });

  it('abort: RST/ACK with nothing pending', async () => {
    expect(await reason(new TcpScript().handshake().data('client', 10).data('server', 10).ack('client').after(1).rst('client'))).toEqual(['abort']);
  });

  it('ignored: an out-of-window RST is info', async () => {
    const [f] = ofKind((await detectScripts([new TcpScript().handshake().rst('server', { seq: 7 })])).findings, 'abortive-close');
    expect(f).toMatchObject({ severity: 'info', measures: { reason: 'ignored' } });
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'abortive-close')).toEqual([]);
  });
});
