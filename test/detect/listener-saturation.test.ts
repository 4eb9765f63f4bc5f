import type { ConnectionFacts, Moment } from '../../src/detect/connection-facts';
import type { DetectContext } from '../../src/detect/detector';
import { listenerSaturation } from '../../src/detect/listener-saturation';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { incidentScripts } from '../support/incident-script';
import { TcpScript } from '../support/tcp-script';
import { detectScripts, ofKind } from '../support/detect-helper';

describe('listener-saturation', () => {
  it('the incident: limit 1, held by the keep-alive connection that closed after 90 s idle', async () => {
    const { findings, incidents } = await detectScripts(incidentScripts());
    const [f] = ofKind(findings, 'listener-saturation');
    expect(f).toMatchObject({ severity: 'critical', listener: '192.0.2.10:8080', limit: 1, waiting_max: 40 });
    expect(f.connections).toHaveLength(40);
    expect(f.held_by?.[0]).toMatchObject({ connection: 0, client: '192.0.2.20:51514', closed_by: 'client', matches: "Go http.Transport's IdleConnTimeout (90 s)" });
    expect(f.held_by?.[0].idle_before_close_s).toBeCloseTo(90, 0);
    expect(f.measures).toMatchObject({ waiting: 40, released_after_close: 40 });
    expect(f.summary).toBe('listener 192.0.2.10:8080 served one connection at a time (inferred limit 1): 40 connections waited up to 89.0 s in its accept queue');
    expect(f.explanation).toContain('All 40 were released between 22:14:50.010 and 22:14:50.018, 0.20 ms after connection #0 (192.0.2.20:51514) closed after 90.0 s idle: this matches Go');
    expect(incidents[0].kind).toBe('listener-saturation');
  });

  it('the incident also shows its symptoms: half-closed, late FINs, RSTs after late FINs', async () => {
    const { incidents } = await detectScripts(incidentScripts({ checks: 120 }));
    const byKind = Object.fromEntries(incidents.map((i) => [i.kind, i.findings]));
    // Checks start at 1 s, 1.5 s, … 60.5 s; released at 90 s, those older than 40 s (started before 50 s) meet RSTs.
    expect(byKind).toMatchObject({ 'half-closed': 120, 'late-fin': 120, 'accept-delay': 120, 'rst-after-late-fin': 99 });
  });

  it('a few slow answers from a server serving many connections at once are not saturation', async () => {
    const scripts = [0, 1, 2, 3].map((i) => new TcpScript({ client: `10.0.0.${i + 1}:5000` }).at(i * 0.1).handshake()
      .data('client', 100).at(10 + i).data('server', 100).fin('client').fin('server').ack('client'));
    const { findings } = await detectScripts(scripts);
    expect(ofKind(findings, 'accept-delay')).toHaveLength(4);
    const [f] = ofKind(findings, 'listener-saturation');
    // Nothing else was being served while they waited: the limit is 0, a stuck application, not a full pool.
    expect(f.limit).toBe(0);
    expect(f.summary).toContain('accepted nothing while connections waited');
  });

  it('fewer waiting connections than the minimum: no finding', async () => {
    const { findings } = await detectScripts(incidentScripts({ checks: 2 }));
    expect(ofKind(findings, 'listener-saturation')).toEqual([]);
  });
});

describe('listener-saturation look-alike', () => {
  it('a busy server closing many connections while a few slow requests wait is not saturated', async () => {
    const busy = Array.from({ length: 60 }, (_, i) => new TcpScript({ client: `10.0.1.${i + 1}:6000` }).at(i * 0.1).handshake()
      .data('client', 100).after(0.01).data('server', 100).fin('client').fin('server').ack('client'));
    const slow = [0, 1, 2, 3].map((i) => new TcpScript({ client: `10.0.2.${i + 1}:7000` }).at(0.5 + i * 0.2).handshake()
      .data('client', 100).after(6).data('server', 100).fin('client').fin('server').ack('client'));
    const { findings } = await detectScripts([...busy, ...slow]);
    expect(ofKind(findings, 'accept-delay')).toHaveLength(4);
    expect(ofKind(findings, 'listener-saturation')).toEqual([]);
  });

  it("counts closes in time order, whatever the connections' order: 7 closes while 3 waited, the first connection closing last, are no saturation", () => {
    const facts = (id: number, f: Partial<ConnectionFacts>): ConnectionFacts => ({
      id, client: `10.0.0.9:${40000 + id}`, server: '10.0.0.1:80', start: 0, end: 200, partial: false, ending: 'fin', connState: 'SF',
      history: 'ShADadFf', handshakeAt: 0, acceptWait: null, close: null, serviceEnds: [], halfClose: null, finDelayS: null, attempt: null,
      synRetransmitOffsets: [], synFrames: [], clientSynFrame: id * 10, serverSynAck: true, serverRst: false, ...f,
    });
    const moment = (at: number): Moment => ({ at, frame: Math.round(at * 10) });
    // Served from the start; the first closes after the waits, the other 7 while all 3 wait.
    const busy = [100, 15, 15.5, 16, 16.5, 17, 17.5, 18].map((end, id) => facts(id, { serviceEnds: [end] }));
    const waiting = [20, 20.5, 21].map((release, k) => facts(10 + k, {
      handshakeAt: 10, acceptWait: { handshake: moment(10), request: moment(10.1), release: moment(release) }, serviceEnds: [release + 0.1],
    }));
    const conns = [...busy, ...waiting];
    const ctx: DetectContext = {
      thresholds: DEFAULT_THRESHOLDS, captureStart: 0, captureEnd: 200, scans: new Map(), isScan: () => false, connection: () => undefined,
    };
    expect(listenerSaturation.detect('10.0.0.1:80', { length: conns.length, at: (i) => conns[i] }, ctx)).toEqual([]);
    // Five served, four of them closing while the 3 waited, 3 released: slots handed over, a limit of 5.
    const handedOver = [...busy.slice(0, 5), ...waiting];
    expect(listenerSaturation.detect('10.0.0.1:80', { length: handedOver.length, at: (i) => handedOver[i] }, ctx).map((f) => f.limit)).toEqual([5]);
  });
});
