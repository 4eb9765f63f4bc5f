import { factsOf, idsByListener, type FactsById } from '../../src/detect/connection-facts';
import type { DetectContext } from '../../src/detect/detector';
import { portScan, scanGroups } from '../../src/detect/port-scan';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { connectionJson } from '../../src/tcp/connection-record';
import { detectScripts } from '../support/detect-helper';
import { analyzeScript, TcpScript } from '../support/tcp-script';

/** One client's SYNs to `ports` ports of 10.0.0.2: every other one refused, the eighth answered. */
function probes(ports: number): TcpScript[] {
  return Array.from({ length: ports }, (_, i) => {
    const s = new TcpScript({ client: '10.9.9.9:50000', server: `10.0.0.2:${1000 + i}` }).at(i * 0.01).syn();
    if (i === 7) return s.after(0.0001).synAck().rst('client', { ack: false });
    return i % 2 === 0 ? s.after(0.0001).rst('server') : s;
  });
}

describe('port-scan', () => {
  it('one client probing 30 ports of a host is one port-scan finding, not 30 refused or unanswered connections', async () => {
    const { findings } = await detectScripts(probes(30));
    expect(findings.map((f) => f.kind)).toEqual(['port-scan']);
    expect(findings[0]).toMatchObject({ severity: 'info', measures: { scanner: '10.9.9.9', target: '10.0.0.2', ports: 30, open: 1, refused: 15 } });
    expect(findings[0].summary).toBe('10.9.9.9 scanned 30 ports of 10.0.0.2 (open: 1007; 15 refused)');
  });

  it('fewer than 20 ports of a host are no scan', async () => {
    const { findings } = await detectScripts(probes(19));
    expect(findings.map((f) => f.kind)).not.toContain('port-scan');
  });

  it('counts only the ports sent a SYN: 30 ports of a host seen, 19 of them from their SYN on, are no scan, 20 ports are', async () => {
    // The other 11 joined midway (their SYNs before the capture): no probes.
    const joined = Array.from({ length: 11 }, (_, i) => new TcpScript({ client: '10.9.9.9:50000', server: `10.0.0.2:${2000 + i}` }).at(1 + i * 0.01).data('client', 10));
    const { findings } = await detectScripts([...probes(19), ...joined]);
    expect(findings.map((f) => f.kind)).not.toContain('port-scan');
    const twenty = await detectScripts(probes(20));
    expect(twenty.findings.map((f) => f.kind)).toContain('port-scan');
  });

  it("keeps a group's probes in the order of the connections' ids as given", async () => {
    const facts = (await analyzeScript(...probes(25))).connections.map((c) => factsOf(connectionJson(c)));
    const ids = facts.map((f) => f.id).reverse();
    const given: FactsById = { ids, factsAt: (id) => facts[id] };
    const groups = scanGroups(given, idsByListener(given).keys());
    expect([...groups.values()].map((list) => list.map((c) => c.id))).toEqual([ids]);
  });

  it('reports the groups the report made once (DetectContext.scans), without grouping the connections again', async () => {
    const facts = (await analyzeScript(...probes(25))).connections.map((c) => factsOf(connectionJson(c)));
    const all: FactsById = { ids: facts.map((f) => f.id), factsAt: (id) => facts[id] };
    const none: FactsById = { ids: [], factsAt: () => { throw new Error('the detector read a connection'); } };
    const ctx: DetectContext = {
      thresholds: DEFAULT_THRESHOLDS, captureStart: 0, captureEnd: 1, scans: scanGroups(all, idsByListener(all).keys()), isScan: () => true, connection: () => undefined,
    };
    expect(portScan.detect(none, ctx).map((f) => f.measures)).toEqual([{ scanner: '10.9.9.9', target: '10.0.0.2', ports: 25, open: 1, refused: 13 }]);
  });
});
