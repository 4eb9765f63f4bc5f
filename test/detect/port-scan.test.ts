import { factsOf, type ConnectionFacts, type FactsById } from '../../src/detect/connection-facts';
import { scanGroups } from '../../src/detect/port-scan';
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

/** Connections' facts as the detectors read them, counting how often any is read. */
interface CountedFacts extends FactsById {
  facts: ConnectionFacts[];
  reads: number;
}

async function countedFacts(scripts: TcpScript[]): Promise<CountedFacts> {
  const conns: CountedFacts = {
    facts: (await analyzeScript(...scripts)).connections.map((c) => factsOf(connectionJson(c))),
    reads: 0,
    get ids() { return conns.facts.map((f) => f.id); },
    factsAt(id) { conns.reads++; return conns.facts[id]; },
  };
  return conns;
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

  it('groups the same connections once, however often asked (the probes, then the detector)', async () => {
    const conns = await countedFacts(probes(25));
    const first = scanGroups(conns);
    const reads = conns.reads;
    expect(reads).toBeGreaterThan(0);
    expect(scanGroups(conns)).toBe(first);
    expect(conns.reads).toBe(reads);
    expect([...first.values()].map((list) => list.length)).toEqual([25]);
  });

  it('groups anew once there are more connections', async () => {
    const conns = await countedFacts(probes(25));
    const all = conns.facts;
    conns.facts = all.slice(0, 10);
    expect(scanGroups(conns).size).toBe(0);
    conns.facts = all;
    expect([...scanGroups(conns).values()].map((list) => list.length)).toEqual([25]);
  });
});
