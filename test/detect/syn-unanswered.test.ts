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

describe('port-scan', () => {
  it('one client probing 30 ports of a host is one port-scan finding, not 30 refused or unanswered connections', async () => {
    const probes = Array.from({ length: 30 }, (_, i) => {
      const s = new TcpScript({ client: '10.9.9.9:50000', server: `10.0.0.2:${1000 + i}` }).at(i * 0.01).syn();
      if (i === 7) return s.after(0.0001).synAck().rst('client', { ack: false });
      return i % 2 === 0 ? s.after(0.0001).rst('server') : s;
    });
    const { findings } = await detectScripts(probes);
    expect(findings.map((f) => f.kind)).toEqual(['port-scan']);
    expect(findings[0]).toMatchObject({ severity: 'info', measures: { scanner: '10.9.9.9', target: '10.0.0.2', ports: 30, open: 1, refused: 15 } });
    expect(findings[0].summary).toBe('10.9.9.9 scanned 30 ports of 10.0.0.2 (open: 1007; 15 refused)');
  });
});
