import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('port-reuse', () => {
  it('challenge ACK, RST, retried SYN: names the old half-closed connection', async () => {
    const old = new TcpScript({ clientIsn: 1000 }).handshake().fin('client').ack('server');
    const oldNext = old.nextSeq('client');
    const retry = new TcpScript({ clientIsn: 900_000, start: 1_700_000_030 }).syn().after(0.0001).rawAck('server', oldNext)
      .after(0.0001).rst('client', { ack: false, seq: oldNext }).at(1).synRetransmit().after(0.0001).synAck().ack('client');
    const { findings } = await detectScripts([old, retry]);
    const [f] = ofKind(findings, 'port-reuse');
    expect(f).toMatchObject({ severity: 'warning', connection: 1, measures: { previous_connection: 0 } });
    expect(f.measures?.previous_half_closed_s).toBeCloseTo(30, 2);
    expect(f.duration_s).toBeCloseTo(1, 3);
    expect(f.summary).toContain('while the server still held connection #0, half-closed for 30.0 s');
    expect(ofKind(findings, 'abortive-close')).toEqual([]);
  });

  it('a new ISN on a cleanly closed 4-tuple (TIME_WAIT reuse) is not it', async () => {
    const first = new TcpScript({ clientIsn: 1 }).handshake().fin('client').fin('server').ack('client');
    const second = new TcpScript({ clientIsn: 99_999, start: 1_700_000_002 }).handshake().fin('client').fin('server').ack('client');
    expect((await detectScripts([first, second])).findings).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'port-reuse')).toEqual([]);
  });
});
