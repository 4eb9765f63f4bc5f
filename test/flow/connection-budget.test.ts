/** --max-connections: a flood of new connections is counted, not tracked, so memory stays bounded. */
import { Readable } from 'node:stream';
import { analyzeCapture } from '../../src/analyze';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { buildReport } from '../../src/report/build-report';
import { writePcap } from '../support/capture-writer';
import { mergeScripts, TcpScript } from '../support/tcp-script';

const flood = (n: number): TcpScript[] => Array.from({ length: n }, (_, i) =>
  new TcpScript({ client: `10.1.${i >> 8}.${i & 255}:4000`, start: 1_700_000_000 + i * 0.001 }).syn().at(1).synRetransmit());

describe('connection budget', () => {
  it('tracks the first N connections; later packets of new connections are counted under connection-budget', async () => {
    const records = mergeScripts(...flood(50));
    const analysis = await analyzeCapture(Readable.from([writePcap(records)]), { maxConnections: 20 });
    expect(analysis.connections).toHaveLength(20);
    expect(analysis.tcpPackets).toBe(40);
    expect(analysis.skipped['connection-budget']).toBe(60);
    expect(analysis.packets).toBe(100);
    const report = buildReport(analysis, { file: 'flood.pcap', sizeBytes: 1 }, { thresholds: DEFAULT_THRESHOLDS });
    expect(report.input.connection_budget).toEqual({ max: 20, first_frame_over: 21 });
  });

  it('lists the reasons for skipped packets in the order they first came up, the budget among them', async () => {
    const records = mergeScripts(...flood(3));
    // Copies of a SYN as other packets: UDP before the budget runs out (frame 1), ARP after it.
    const as = (ethertype: number, protocol: number) => {
      const data = Buffer.from(records[0].data);
      data.writeUInt16BE(ethertype, 12);
      data[23] = protocol;
      return { ...records[0], data };
    };
    const analysis = await analyzeCapture(Readable.from([writePcap([as(0x0800, 17), ...records, as(0x0806, 6)])]), { maxConnections: 1 });
    expect(Object.entries(analysis.skipped)).toEqual([['not-tcp', 1], ['connection-budget', 4], ['not-ip', 1]]);
    const budgetFirst = await analyzeCapture(Readable.from([writePcap([...records, as(0x0800, 17)])]), { maxConnections: 1 });
    expect(Object.keys(budgetFirst.skipped)).toEqual(['connection-budget', 'not-tcp']);
  });

  it('packets of tracked connections still arrive when the table is full', async () => {
    const first = new TcpScript({ client: '10.9.0.1:1000' }).handshake();
    const late = new TcpScript({ client: '10.9.0.1:1000', start: 1_700_000_002 }).handshake();
    late.records.splice(0, 3);
    late.data('client', 10).fin('client').fin('server').ack('client');
    const analysis = await analyzeCapture(Readable.from([writePcap(mergeScripts(first, ...flood(5).map((s) => s), late))]), { maxConnections: 1 });
    expect(analysis.connections[0].side(0).packets + analysis.connections[0].side(1).packets).toBe(7);
    expect(analysis.skipped['connection-budget']).toBe(10);
  });
});
