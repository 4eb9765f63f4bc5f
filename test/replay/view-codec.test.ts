/** The view codec gives back every view as connectionJson made it: scripted corner cases and every
 * connection of the lab and corpus captures. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/analyze';
import { decodeView, ViewEncoder } from '../../src/replay/view-codec';
import { connectionJson, type ConnectionJson } from '../../src/tcp/connection-view';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures } from '../support/corpus';
import { analyzeScript, TcpScript } from '../support/tcp-script';

const CAPTURES = join(__dirname, '..', '..', 'captures');

function roundTrip(encoder: ViewEncoder, view: ConnectionJson): ConnectionJson {
  const n = encoder.encode(view);
  return decodeView(Buffer.from(encoder.bytes.subarray(0, n)));
}

describe('view codec', () => {
  it('gives back every connection of the lab and corpus captures, field for field', async () => {
    const encoder = new ViewEncoder();
    let views = 0;
    const files = [
      ...readdirSync(CAPTURES).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f)).map((f) => join(CAPTURES, f)),
      ...(corpusAvailable() ? corpusCaptures().map((f) => join(CORPUS_CAPTURES, f)) : []),
    ];
    for (const file of files) {
      const analysis = await analyzeCapture(file).catch(() => null);
      if (analysis === null) continue;
      for (const conn of analysis.connections) {
        const view = connectionJson(conn);
        expect(roundTrip(encoder, view)).toStrictEqual(view);
        views++;
      }
    }
    expect(views).toBeGreaterThan(corpusAvailable() ? 1000 : 50);
  });

  it('keeps RST fits, idle times, inferred states, IPv6, a previous incarnation and unanswered SYNs', async () => {
    const scripts = [
      new TcpScript({ client: '[2001:db8::1]:40000', server: '[2001:db8::2]:443' }).handshake().data('client', 10).rst('server'),
      new TcpScript({ client: '10.0.0.1:40001' }).handshake().fin('client').fin('server').ack('client'),
      new TcpScript({ client: '10.0.0.1:40001', clientIsn: 90_000 }).at(1).handshake().rst('client'),
      new TcpScript({ client: '10.0.0.1:40002' }).syn().syn(),
      new TcpScript({ client: '10.0.0.1:40003' }).data('client', 5).data('server', 5).fin('server'),
    ];
    const analysis = await analyzeScript(...scripts);
    const views = analysis.connections.map(connectionJson);
    expect(views.some((v) => v.previous !== null)).toBe(true);
    expect(views.some((v) => v.events.some((e) => e.rst_seq_fit !== undefined))).toBe(true);
    expect(views.some((v) => [...v.states.client, ...v.states.server].some((s) => s.inferred === true))).toBe(true);
    const encoder = new ViewEncoder();
    for (const view of views) expect(roundTrip(encoder, view)).toStrictEqual(view);
  });

  it('reads a view that does not start on an 8-byte boundary, and grows for a long one', () => {
    const encoder = new ViewEncoder();
    const event = { type: 'zero-window' as const, by: 'server' as const, at: 1.5, frame: 7, seq: 1, ack: 2, len: 0 };
    const view: ConnectionJson = {
      id: 3, client: '10.0.0.1:1', server: '10.0.0.2:2', start: 1, end: 2, duration_s: 1, first_frame: 1, last_frame: 9, partial: true,
      previous: 0, packets: { client: 1, server: 2 }, bytes: { client: 3, server: 4 }, payload_bytes: { client: 5, server: 6 },
      conn_state: 'OTH', history: 'Dd^é', ending: 'open', final_state: { client: null, server: 'ESTABLISHED' },
      states: { client: [], server: [{ state: 'ESTABLISHED', at: 1, frame: 1, inferred: true }] },
      events: Array.from({ length: 3000 }, (_, i) => ({ ...event, frame: i })), filter: 'ip.addr==10.0.0.1',
    };
    const n = encoder.encode(view);
    const shifted = Buffer.alloc(n + 1);
    encoder.bytes.copy(shifted, 1, 0, n);
    expect(decodeView(shifted.subarray(1))).toStrictEqual(view);
  });
});
