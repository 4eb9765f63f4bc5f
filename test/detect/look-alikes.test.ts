/** Normal endings produce no warning from any detector. */
import { detectScripts } from '../support/detect-helper';
import { TcpScript } from '../support/tcp-script';
import { LOOK_ALIKES } from './look-alikes';

describe('normal endings produce no warning', () => {
  it.each(LOOK_ALIKES)('%s', async (_name, make) => {
    const { findings } = await detectScripts([make()]);
    expect(findings.filter((f) => f.severity !== 'info').map((f) => f.summary)).toEqual([]);
  });

  it('all of them together, and TIME_WAIT reuse of a port', async () => {
    const reuse = new TcpScript({ client: '10.0.0.1:40009', clientIsn: 5, start: 1_700_000_001 }).handshake().fin('client').fin('server').ack('client');
    const reuse2 = new TcpScript({ client: '10.0.0.1:40009', clientIsn: 77_777, start: 1_700_000_002 }).handshake().fin('client').fin('server').ack('client');
    const { findings } = await detectScripts([...LOOK_ALIKES.map(([, make]) => make()), reuse, reuse2]);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
