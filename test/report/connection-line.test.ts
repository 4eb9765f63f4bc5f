/** The connection line writer writes exactly JSON.stringify(view) as UTF-8, the Wireshark filter made from
 * the view's endpoints and frames: every connection of the lab and corpus captures, from the view without
 * its filter, and views holding the numbers and strings its fast paths must get right or hand on. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/analyze';
import { ConnectionLineWriter } from '../../src/report/connection-line';
import { connectionCoreOf, connectionRecord, connectionViewOf } from '../../src/tcp/connection-record';
import type { ConnectionCore, ConnectionJson } from '../../src/tcp/connection-view';
import { CONN_EVENT_TYPES, RST_SEQ_FITS } from '../../src/tcp/events';
import { TCP_STATES } from '../../src/tcp/tcp-state';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures } from '../support/corpus';
import { prng } from '../support/prng';

const LAB = join(__dirname, '..', '..', 'captures');

function line(writer: ConnectionLineWriter, view: ConnectionCore): string {
  const length = writer.write(view);
  return writer.bytes.toString('utf8', 0, length);
}

/** Each connection's view, and the same without its filter (as the detectors and the spool take it). */
async function views(path: string): Promise<{ view: ConnectionJson; core: ConnectionCore }[]> {
  const out: { view: ConnectionJson; core: ConnectionCore }[] = [];
  await analyzeCapture(path, {
    onRetire: (c) => {
      const record = connectionRecord(c);
      out.push({ view: connectionViewOf(record), core: connectionCoreOf(record) });
    },
  });
  return out;
}

function sample(): ConnectionJson {
  return {
    id: 7, client: '10.0.0.1:1029', server: '10.0.0.2:443', start: 1790000000.0052, end: 1790000001.0052, duration_s: 1,
    first_frame: 25, last_frame: 5860, partial: false, previous: null,
    packets: { client: 6, server: 4 }, bytes: { client: 444, server: 816 }, payload_bytes: { client: 120, server: 600 },
    conn_state: 'SF', history: 'ShADadFf', ending: 'fin', final_state: { client: 'TIME_WAIT', server: null },
    states: { client: [{ state: 'SYN_SENT', at: 1790000000.005, frame: 25 }], server: [{ state: 'CLOSED', at: 0, frame: 0, inferred: true }] },
    events: [
      { type: 'fin', by: 'client', at: 1790000001.005, frame: 5853, seq: 4294967295, ack: 0, len: 0, idle_s: 0.5 },
      { type: 'rst', by: 'server', at: 1790000001.0051, frame: 5856, seq: 1, ack: 2, len: 0, rst_with_ack: false, rst_seq_fit: 'exact', idle_s: 90.000001 },
    ],
    filter: 'ip.addr==10.0.0.1 && tcp.port==1029 && ip.addr==10.0.0.2 && tcp.port==443 && frame.number>=25 && frame.number<=5860',
  };
}

describe('connection line writer', () => {
  const writer = new ConnectionLineWriter();

  it('writes every connection of the lab and corpus captures as JSON.stringify does', async () => {
    const files = readdirSync(LAB).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f)).map((f) => join(LAB, f));
    if (corpusAvailable()) files.push(...corpusCaptures().map((f) => join(CORPUS_CAPTURES, f)));
    let checked = 0;
    let ipv6 = 0;
    const wrong: string[] = [];
    for (const file of files) {
      for (const { view, core } of await views(file)) {
        checked++;
        if (view.filter.startsWith('ipv6.')) ipv6++;
        expect((core as Partial<ConnectionJson>).filter).toBeUndefined();
        if (line(writer, core) !== JSON.stringify(view) || line(writer, view) !== JSON.stringify(view)) wrong.push(`${file} #${view.id}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(1_000);
    if (corpusAvailable()) expect(ipv6).toBeGreaterThan(0);
  });

  it('writes the filter of IPv4 and IPv6 endpoints, the frames at both ends of their digit counts', () => {
    const ipv6 = { ...sample(), client: '[2001:db8::1]:65535', server: '[::ffff:10.0.0.2]:1' };
    const cases = [sample(), ipv6, ...[1, 9, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 40 + 1].map((frame) => ({ ...sample(), first_frame: frame, last_frame: frame + 1 }))];
    for (const view of cases) {
      const [client, server] = [view.client, view.server].map((e) => /^\[?(.*?)\]?:(\d+)$/.exec(e) as RegExpExecArray);
      const ip = view.client.startsWith('[') ? 'ipv6' : 'ip';
      const filter = `${ip}.addr==${client[1]} && tcp.port==${client[2]} && ${ip}.addr==${server[1]} && tcp.port==${server[2]}`
        + ` && frame.number>=${view.first_frame} && frame.number<=${view.last_frame}`;
      const { filter: _, ...core } = view;
      expect(line(writer, core)).toBe(JSON.stringify({ ...view, filter }));
    }
  });

  it('writes numbers as JSON does: integers, millionths, other fractions, -0, huge, tiny and not finite', () => {
    const random = prng(11);
    const numbers = [
      0, -0, 1, -1, 9, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 4294967295, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 2 ** 60, 1e21, 1e300,
      0.1 + 0.2, 1e-6, 9.99e-7, 1e-7, 5e-324, 0.5, -0.5, 2 ** 33 - 0.5, 2 ** 33 + 0.5, 8589934591.999999, 1e9 + 1e-6, 999999999.999999,
      1790000000.0052, 1790000000.005201, 1 / 3, -2 / 3, Math.PI, NaN, Infinity, -Infinity,
      // Every digit count, at both its ends, and fractions of every length (digits go two at a time).
      ...Array.from({ length: 16 }, (_, k) => [10 ** k - 1, 10 ** k, 10 ** k + 0.5, 10 ** k + 0.05, 10 ** k + 0.000_001]).flat(),
    ];
    for (let i = 0; i < 20_000; i++) {
      numbers.push(Math.round(random() * 2e9) + Math.round(random() * 1e6) / 1e6);
      numbers.push(random() * 10 ** Math.floor(random() * 14 - 4));
      numbers.push(Math.round(random() * 1e6) / 1e6 - Math.round(random() * 1e4) / 1e4);
      // Beyond 2^33 two millionths can be one double: the shortest text then has fewer decimals.
      numbers.push(2 ** (33 + Math.floor(random() * 12)) * (1 + random()) + Math.round(random() * 1e6) / 1e6);
    }
    const wrong: string[] = [];
    for (const x of numbers) {
      const view = { ...sample(), start: x, duration_s: -x };
      if (line(writer, view) !== JSON.stringify(view)) wrong.push(String(x));
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('hands quotes, backslashes, controls and non-ASCII text to JSON.stringify', () => {
    for (const s of ['a"b', 'a\\b', 'tab\there', 'line\n', '\u007f', 'café', '日本', '😀', '\ud800 lone', '']) {
      const view = { ...sample(), conn_state: s, history: `${s}!` };
      expect(line(writer, view)).toBe(JSON.stringify(view));
    }
  });

  it('writes every event type, sender, RST fit and state as JSON.stringify does', () => {
    const view = sample();
    const base = view.events[1];
    view.events = CONN_EVENT_TYPES.flatMap((type, i) => (['client', 'server'] as const).map((by) => ({ ...base, type, by, frame: 2 * i })));
    view.events.push(...RST_SEQ_FITS.map((fit, i) => ({ ...base, rst_with_ack: i % 2 === 0, rst_seq_fit: fit })));
    view.states.client = TCP_STATES.map((state, i) => ({ state, at: 1790000000 + i / 7, frame: i }));
    view.states.server = TCP_STATES.map((state, i) => ({ state, at: i, frame: 2 ** 40 + i, inferred: i % 2 === 0 }));
    expect(line(writer, view)).toBe(JSON.stringify(view));
  });

  it('grows its buffer for a view of thousands of events, and reuses it after', () => {
    const many = sample();
    many.events = Array.from({ length: 5_000 }, (_, i) => ({ ...sample().events[0], frame: i, at: 1790000000 + i / 1000 }));
    expect(line(writer, many)).toBe(JSON.stringify(many));
    expect(writer.bytes.length).toBeGreaterThan(16 << 10);
    expect(line(writer, sample())).toBe(JSON.stringify(sample()));
  });

  it('writes the same line wherever the buffer given ends: four bytes at a time never past it, and whole seconds copied only from where they are', () => {
    // The events' times share their whole seconds, and the line moves to the writer's own buffer at
    // every point as the buffer's end comes nearer.
    const view = sample();
    view.events[0].at = 1234567891.25;
    view.events[1].at = 1234567891.5;
    const text = JSON.stringify(view);
    const into = Buffer.alloc(text.length + 200);
    const fresh = new ConnectionLineWriter();
    const wrong: number[] = [];
    for (let at = 0; at < into.length; at++) {
      into.fill(0x2e);
      const length = fresh.writeAt(view, into, at);
      const inPlace = fresh.bytes === into;
      if (fresh.bytes.toString('utf8', fresh.start, fresh.start + length) !== text) wrong.push(at);
      else if (inPlace && !into.subarray(at + length).every((b) => b === 0x2e)) wrong.push(-at);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('writes into a buffer that starts inside a larger one, and copies whole seconds of 2^31 or more', () => {
    const view = { ...sample(), start: 3000000000.25, end: 3000000000.5 };
    const parent = Buffer.alloc(64 << 10, 0x2e);
    const into = parent.subarray(5, parent.length - 3);
    const length = new ConnectionLineWriter().writeAt(view, into, 1);
    expect(into.toString('utf8', 1, 1 + length)).toBe(JSON.stringify(view));
    expect(parent[5]).toBe(0x2e);
    expect(parent.subarray(6 + length).every((b) => b === 0x2e)).toBe(true);
  });

  it('writes into a buffer given where the line fits, and moves it to its own where it does not', () => {
    const text = JSON.stringify(sample());
    const into = Buffer.alloc(text.length + 1000, 0x2e);
    for (const at of [0, 500]) {
      const length = writer.writeAt(sample(), into, at);
      expect(writer.bytes === into && writer.start === at).toBe(true);
      expect(writer.bytes.toString('utf8', at, at + length)).toBe(text);
    }
    expect(into.toString('latin1', 0, 500)).toBe(text.slice(0, 500));
    // Texts are written four bytes at a time: nothing lands past the line's end.
    expect(into.subarray(500 + text.length).every((b) => b === 0x2e)).toBe(true);
    // Near the end (the room kept for a number or an event runs out before the line does), what was
    // written there moves to the writer's own buffer and the rest follows; `into` keeps its bytes.
    const before = Buffer.from(into);
    const at = into.length - 200;
    const length = writer.writeAt(sample(), into, at);
    expect(writer.bytes === into).toBe(false);
    expect(writer.bytes.toString('utf8', writer.start, writer.start + length)).toBe(text);
    expect(into.subarray(0, at).equals(before.subarray(0, at))).toBe(true);
    // A view of thousands of events moves and grows, and the next line is written in place again.
    const many = { ...sample(), events: Array.from({ length: 5_000 }, (_, i) => ({ ...sample().events[0], frame: i })) };
    const manyLength = writer.writeAt(many, into, 10);
    expect(writer.bytes.toString('utf8', writer.start, writer.start + manyLength)).toBe(JSON.stringify(many));
    expect(writer.writeAt(sample(), into, 0)).toBe(text.length);
    expect(writer.bytes === into && writer.start === 0).toBe(true);
  });
});
