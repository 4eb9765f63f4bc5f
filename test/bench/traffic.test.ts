/** The benchmark's bulk traffic (case (e)) is what it says: long connections, each carrying its segments
 * whole, acknowledged every second one, and replayed as such. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCapture, type Analysis } from '../../src/analyze';
import { writeTraffic } from './traffic';

const CONNECTIONS = 60;
const SEGMENTS = 41;
const MSS = 1448;

describe('bulk traffic of the benchmark', () => {
  let dir: string;
  let analysis: Analysis;
  let packets: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulk-traffic-'));
    const file = join(dir, 'bulk.pcap');
    packets = await writeTraffic({ connections: CONNECTIONS, concurrent: 10, lifetimeS: 10, anomalyShare: 0.03, seed: 5, bulkSegments: SEGMENTS }, file, 'pcap');
    analysis = await analyzeCapture(file);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives every packet to a connection', () => {
    expect(analysis.packets).toBe(packets);
    expect(analysis.tcpPackets).toBe(packets);
    const sides = analysis.connections.flatMap((c) => [c.side(0).packets, c.side(1).packets]);
    expect(sides.reduce((a, b) => a + b, 0)).toBe(packets);
  });

  it('sends each normal connection its segments whole, acknowledged every second one', () => {
    // The accept delay's connections close normally too, 5 s later, with a short response.
    const normal = analysis.connections.filter((c) => c.zeek.connState() === 'SF' && c.zeek.history === 'ShADadFf' && c.end - c.start < 11);
    // Anomalies take 3 % each (five kinds): most connections are normal ones.
    expect(normal.length).toBeGreaterThan(CONNECTIONS * 0.7);
    for (const c of normal) {
      const [client, server] = [c.side(0), c.side(1)];
      expect([client.payloadBytes, server.payloadBytes]).toEqual([120, SEGMENTS * MSS]);
      // SYN-ACK, the request's ACK, the segments and FIN; SYN, ACK, request, an ACK per two segments
      // (and the last odd one), FIN and the last ACK.
      expect([client.packets, server.packets]).toEqual([3 + Math.ceil(SEGMENTS / 2) + 2, 2 + SEGMENTS + 1]);
    }
  });
});
