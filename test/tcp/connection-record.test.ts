/** A retired connection's record and the report view made from it: the same view wherever the record's
 * bytes lie (the ring hands them over at any offset) and however they were written (in place or copied),
 * the fields a record carries beyond the common case, and records longer than the writer's first buffer. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/analyze';
import { connectionCoreOf, connectionJson, connectionViewOf, ConnectionRecordWriter, recordMemoryOf } from '../../src/tcp/connection-record';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures } from '../support/corpus';
import { analyzeScript, TcpScript } from '../support/tcp-script';

const CAPTURES = join(__dirname, '..', '..', 'captures');

/** `bytes` copied to start one byte into a buffer: not on an 8-byte boundary. */
function shifted(bytes: Buffer): Buffer {
  const copy = Buffer.alloc(bytes.length + 1);
  bytes.copy(copy, 1);
  return copy.subarray(1);
}

const EVENT_KEYS = ['type', 'by', 'at', 'frame', 'seq', 'ack', 'len', 'rst_with_ack', 'rst_seq_fit', 'idle_s'];

describe('connection record', () => {
  it('gives the same view at any offset, and the same without its filter, for every connection of the lab and corpus captures', async () => {
    const writer = new ConnectionRecordWriter();
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
        const length = writer.write(conn);
        expect(connectionViewOf(shifted(writer.bytes.subarray(0, length)))).toStrictEqual(view);
        // Written in place at an offset of other memory, as into the connection ring.
        const placed = recordMemoryOf(new ArrayBuffer(length + 48));
        expect(writer.measure(conn)).toBe(length);
        writer.writeAt(conn, placed, 40);
        expect(connectionViewOf(Buffer.from(placed.u8.buffer, 40, length))).toStrictEqual(view);
        // The same but the filter, and of the same shape (the filter there, undefined).
        const core = connectionCoreOf(writer.bytes.subarray(0, length));
        expect(core).toStrictEqual({ ...view, filter: undefined });
        expect(Object.keys(core)).toEqual(Object.keys(view));
        // Field order is the report's (the JSON line writer and JSON.stringify follow it).
        expect(Object.keys(view)).toEqual([
          'id', 'client', 'server', 'start', 'end', 'duration_s', 'first_frame', 'last_frame', 'partial', 'previous', 'packets',
          'bytes', 'payload_bytes', 'conn_state', 'history', 'ending', 'final_state', 'states', 'events', 'filter',
        ]);
        // Every event, payloads' included, has every field, in the report's order (see eventOf).
        for (const e of view.events) expect(Object.keys(e)).toEqual(EVENT_KEYS);
        views++;
      }
    }
    expect(views).toBeGreaterThan(corpusAvailable() ? 1000 : 50);
  });

  it('carries IPv6 endpoints, RST fits and idle times, a previous incarnation, inferred states and unanswered SYNs', async () => {
    const analysis = await analyzeScript(
      new TcpScript({ client: '[2001:db8::1]:40000', server: '[2001:db8::2]:443' }).handshake().data('client', 10).rst('server'),
      new TcpScript({ client: '10.0.0.1:40001' }).handshake().fin('client').fin('server').ack('client'),
      new TcpScript({ client: '10.0.0.1:40001', clientIsn: 90_000 }).at(1).handshake().rst('client'),
      new TcpScript({ client: '10.0.0.1:40002' }).syn().syn(),
      new TcpScript({ client: '10.0.0.1:40003' }).data('client', 5).data('server', 5).fin('server'),
    );
    const views = analysis.connections.map(connectionJson);
    const v6 = views.find((v) => v.client.startsWith('['));
    expect(v6).toMatchObject({ client: '[2001:db8::1]:40000', server: '[2001:db8::2]:443', ending: 'rst' });
    expect(v6?.filter).toMatch(/^ipv6\.addr==2001:db8::1 && tcp\.port==40000 && ipv6\.addr==2001:db8::2 && tcp\.port==443 && frame/);
    expect(v6?.events.find((e) => e.type === 'rst')).toMatchObject({ by: 'server', rst_with_ack: true, idle_s: expect.any(Number) });
    // First and last payload of one segment: first-data comes before last-data, at the same frame.
    expect(v6?.events.map((e) => e.type)).toEqual(['syn', 'syn-ack', 'handshake-complete', 'first-data', 'last-data', 'rst']);
    const again = views.find((v) => v.client === '10.0.0.1:40001' && v.previous !== null);
    expect(again).toMatchObject({ client: '10.0.0.1:40001', ending: 'rst' });
    expect(views[again?.previous ?? -1]).toMatchObject({ client: '10.0.0.1:40001', ending: 'fin' });
    expect(views.find((v) => v.client === '10.0.0.1:40002')).toMatchObject({ ending: 'unanswered', final_state: { client: 'SYN_SENT', server: null } });
    const midway = views.find((v) => v.client === '10.0.0.1:40003');
    expect(midway).toMatchObject({ partial: true, ending: 'half-closed' });
    expect(midway?.states.client[0]).toMatchObject({ state: 'ESTABLISHED', inferred: true });
  });

  it('grows for a connection whose record is longer than its first buffer', async () => {
    // 400 zero-window stalls: 800 events, a record of about 60 KB.
    const stalls = new TcpScript({ client: '10.0.0.1:40000' }).handshake();
    for (let i = 0; i < 400; i++) stalls.window('server', 0).after(0.01).window('server', 65535).data('client', 10);
    const analysis = await analyzeScript(stalls.fin('client').fin('server').ack('client'));
    const writer = new ConnectionRecordWriter();
    const first = writer.bytes.length;
    const length = writer.write(analysis.connections[0]);
    expect(length).toBeGreaterThan(first);
    const view = connectionViewOf(shifted(writer.bytes.subarray(0, length)));
    expect(view.events.filter((e) => e.type === 'zero-window')).toHaveLength(400);
    expect(view.events.filter((e) => e.type === 'window-reopen')).toHaveLength(400);
    expect(view.events.map((e) => e.frame)).toEqual(view.events.map((e) => e.frame).sort((a, b) => a - b));
    expect(view).toStrictEqual(connectionJson(analysis.connections[0]));
  });
});
