/** Ladder diagrams: the packets read back from the capture, their layout, and the SVG. */
import { layoutLadder } from '../../src/report/html/ladder-layout';
import { packetsFromEvents } from '../../src/report/html/ladder-packets';
import { ladderSvg } from '../../src/report/html/ladder-svg';
import { LADDER_HEAD, LADDER_TAIL, readConnectionPackets } from '../../src/report/html/read-connection-packets';
import type { ConnectionJson, ReportJson } from '../../src/report/report-model';
import { TcpScript } from '../support/tcp-script';
import { captureFile, incidentCapture } from './html-fixtures';

function connection(report: ReportJson, id: number): ConnectionJson {
  const conn = report.connections.find((c) => c.id === id);
  if (!conn) throw new Error(`no connection ${id}`);
  return conn;
}

function count(text: string, what: string): number {
  return text.split(what).length - 1;
}

describe('ladder diagram', () => {
  let file: string;
  let report: ReportJson;
  let checker: ConnectionJson;

  beforeAll(async () => {
    ({ file, report } = await incidentCapture(5));
    checker = connection(report, 1);
  });

  it('reads back every packet of the chosen connections, and only theirs', async () => {
    const keepAlive = connection(report, 0);
    const packets = await readConnectionPackets(file, [checker, keepAlive]);
    const mine = packets.get(1);
    expect(mine?.source).toBe('capture');
    expect(mine?.total).toBe(checker.packets.client + checker.packets.server);
    expect(mine?.head.map((p) => `${p.from} ${p.label}`)).toEqual([
      'client SYN', 'server SYN, ACK', 'client ACK', 'client FIN, ACK', 'server ACK', 'server FIN, ACK', 'client RST',
    ]);
    expect(packets.get(0)?.total).toBe(keepAlive.packets.client + keepAlive.packets.server);
  });

  it('keeps two incarnations of one 4-tuple apart by their frame ranges', async () => {
    const first = new TcpScript().handshake().fin('client').fin('server').ack('client');
    const second = new TcpScript({ clientIsn: 90_000, serverIsn: 70_000 }).at(1).handshake().data('client', 10).rst('server');
    const { file: f, report: r } = await captureFile([first, second]);
    expect(r.connections).toHaveLength(2);
    const packets = await readConnectionPackets(f, r.connections);
    for (const c of r.connections) expect(packets.get(c.id)?.total).toBe(c.packets.client + c.packets.server);
  });

  it('keeps connections with the same ports on other hosts apart, IPv4 and IPv6', async () => {
    const scripts = ['10.0.0.1:40000', '10.0.0.3:40000', '[2001:db8::1]:40000', '[2001:db8::3]:40000'].map((client) =>
      new TcpScript({ client, server: client.startsWith('[') ? '[2001:db8::2]:80' : '10.0.0.2:80' })
        .handshake().data('client', 10).ack('server').fin('client').fin('server').ack('client'));
    // Interleaved: each frame range holds the others' packets.
    const { file: f, report: r } = await captureFile(scripts);
    expect(r.connections).toHaveLength(4);
    expect(Math.max(...r.connections.map((c) => c.first_frame))).toBeLessThan(Math.min(...r.connections.map((c) => c.last_frame)));
    const packets = await readConnectionPackets(f, r.connections);
    for (const c of r.connections) {
      const mine = packets.get(c.id);
      expect(mine?.total).toBe(c.packets.client + c.packets.server);
      expect(mine?.head[0].frame).toBe(c.first_frame);
      expect(mine?.head.map((p) => p.from).slice(0, 3)).toEqual(['client', 'server', 'client']);
    }
  });

  it('lays out one row per packet, a labelled row per long silence, states from the frame that showed them', async () => {
    const packets = await readConnectionPackets(file, [checker]);
    const layout = layoutLadder(checker, packets.get(1) ?? packetsFromEvents(checker));
    expect(layout.rows.map((r) => r.kind)).toEqual(['packet', 'packet', 'packet', 'packet', 'packet', 'gap', 'packet', 'packet']);
    const rel = layout.rows.flatMap((r) => (r.kind === 'packet' ? [`${r.relSeq}/${r.relAck ?? '-'}`] : []));
    expect(rel).toEqual(['0/-', '0/1', '1/1', '1/1', '1/2', '1/2', '2/-']);
    const closeWait = layout.states.find((s) => s.side === 'server' && s.state === 'CLOSE_WAIT');
    const lastAck = layout.states.find((s) => s.side === 'server' && s.state === 'LAST_ACK');
    expect(closeWait && lastAck && closeWait.to).toBe(lastAck?.from);
  });

  it('draws one arrow per packet, the gap with its length, the states and the evidence', async () => {
    const packets = await readConnectionPackets(file, [checker]);
    const svg = ladderSvg(checker, packets.get(1) ?? packetsFromEvents(checker), new Set([checker.last_frame])).text;
    expect(count(svg, '<g class="pkt')).toBe(7);
    expect(count(svg, '<g class="pkt evidence"')).toBe(1);
    expect(svg).toMatch(/… \d+\.\d s …/);
    for (const state of ['SYN_SENT', 'FIN_WAIT_2', 'RESET', 'SYN_RECEIVED', 'CLOSE_WAIT', 'LAST_ACK']) expect(svg).toContain(`>${state}<`);
    expect(svg).toContain('<tspan class="flag-names">SYN, ACK</tspan> Seq=0 Ack=1 Len=0');
  });

  it('without the capture, draws the teardown events, one arrow per frame', () => {
    const events = packetsFromEvents(checker);
    expect(events.source).toBe('events');
    expect(events.head.map((p) => p.frame)).toEqual([...new Set(checker.events.map((e) => e.frame))]);
    expect(events.head.find((p) => p.frame === checker.events[4].frame)?.label).toBe('ACK of the FIN');
  });

  it('keeps the ends of a long connection and says how many packets are not drawn', async () => {
    const s = new TcpScript().handshake();
    for (let i = 0; i < 100; i++) s.data('client', 100).ack('server');
    s.fin('client').fin('server').ack('client');
    const { file: f, report: r } = await captureFile([s]);
    const conn = r.connections[0];
    const packets = (await readConnectionPackets(f, [conn])).get(conn.id);
    if (!packets) throw new Error('no packets');
    expect([packets.head.length, packets.tail.length, packets.total]).toEqual([LADDER_HEAD, LADDER_TAIL, 206]);
    expect(packets.tail[packets.tail.length - 1].frame).toBe(conn.last_frame);
    const svg = ladderSvg(conn, packets, new Set()).text;
    expect(count(svg, '<g class="pkt')).toBe(LADDER_HEAD + LADDER_TAIL);
    expect(svg).toMatch(/… 86 packets over [\d.]+ ms not drawn …/);
  });
});
