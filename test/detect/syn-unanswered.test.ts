import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('syn-unanswered', () => {
  it('SYNs never answered, retransmitted at +1 s and +3 s, grouped per listener', async () => {
    const lost = [0, 1].map((i) => new TcpScript({ client: `10.0.0.${i + 1}:4000` }).at(i).syn().at(i + 1).synRetransmit().at(i + 3).synRetransmit());
    const [f] = ofKind((await detectScripts(lost)).findings, 'syn-unanswered');
    expect(f).toMatchObject({ severity: 'warning', listener: '10.0.0.2:80', connections: [0, 1] });
    expect(f.measures).toMatchObject({ unanswered: 2, answered_after_retransmission: 0, retransmissions: 4, retransmit_pattern: '+1.00 s +3.00 s' });
  });

  it('a SYN answered only after a retransmission (dropped by a full queue) counts too', async () => {
    const s = new TcpScript().syn().at(1).synRetransmit().after(0.0001).synAck().ack('client');
    const [f] = ofKind((await detectScripts([s])).findings, 'syn-unanswered');
    expect(f.measures).toMatchObject({ unanswered: 0, answered_after_retransmission: 1 });
  });

  it('a refused connection (RST) was answered', async () => {
    const s = new TcpScript().syn().after(0.0001).rst('server');
    expect(ofKind((await detectScripts([s])).findings, 'syn-unanswered')).toEqual([]);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'syn-unanswered')).toEqual([]);
  });
});
