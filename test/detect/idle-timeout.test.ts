import { max, min, quantile } from 'd3-array';
import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';
import { LOOK_ALIKES } from './look-alikes';

describe('idle-timeout', () => {
  it.each<[number, string]>([
    [90.02, "Go http.Transport's IdleConnTimeout (90 s)"],
    [75.1, 'nginx keepalive_timeout default (75 s)'],
    [350.4, 'AWS NLB / NAT gateway idle timeout (350 s)'],
  ])('a close after %f s idle matches %s', async (idle, what) => {
    const s = new TcpScript().handshake().data('client', 10).data('server', 10).after(idle).fin('client').fin('server').ack('client');
    const [f] = ofKind((await detectScripts([s])).findings, 'idle-timeout');
    expect(f).toMatchObject({ severity: 'info', measures: { closed_by: 'client', matches: what } });
    expect(f.duration_s).toBeCloseTo(idle, 3);
  });

  it('an idle time matching nothing known is not reported', async () => {
    const s = new TcpScript().handshake().data('client', 10).after(42).fin('client').fin('server').ack('client');
    expect(ofKind((await detectScripts([s])).findings, 'idle-timeout')).toEqual([]);
  });

  it('sums its findings up as one incident: durations as d3 gives them, and who closed, by majority', async () => {
    // 41 connections to one listener, idle 90.00 to 90.40 s in no order, most closed by the client.
    const scripts = Array.from({ length: 41 }, (_, i) => new TcpScript({ client: `10.0.0.1:${40000 + i}`, start: 1_790_000_000 + i })
      .handshake().data('client', 10).data('server', 10).after(90 + ((i * 17) % 41) / 100).fin(i % 4 === 3 ? 'server' : 'client')
      .fin(i % 4 === 3 ? 'client' : 'server').ack(i % 4 === 3 ? 'server' : 'client'));
    const { findings, incidents } = await detectScripts(scripts);
    const durations = ofKind(findings, 'idle-timeout').map((f) => f.duration_s ?? NaN);
    expect(durations).toHaveLength(41);
    const [incident] = incidents.filter((i) => i.kind === 'idle-timeout');
    expect(incident).toMatchObject({
      findings: 41, connections: 41,
      duration: { min: min(durations), median: quantile(durations, 0.5), p95: quantile(durations, 0.95), max: max(durations) },
    });
    expect(incident.duration?.p95).toBeCloseTo(90.38, 6);
    expect(incident.summary).toMatch(/^41 connections of .* closed by the client after .* idle: matches Go http\.Transport/);
  });

  it.each(LOOK_ALIKES)('no finding for %s', async (_name, make) => {
    expect(ofKind((await detectScripts([make()])).findings, 'idle-timeout')).toEqual([]);
  });
});
