import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionJson } from '../../src/report/report-model';
import { CAPTURES_DIR, labReport } from './compare/lab-capture';
import { describeLabCapture } from './compare/lab-suite';

/** Recorded at the same moment on the server's link as formats.pcap (Ethernet, µs). */
const SAME_LINK: [file: string, format: string, gzip: boolean, linkType: string][] = [
  ['formats-nano.pcap', 'pcap-nsec', false, 'ethernet'],
  ['formats-sll.pcap', 'pcap', false, 'linux-sll'],
  ['formats-sll2.pcap', 'pcap', false, 'linux-sll2'],
  ['formats.pcapng', 'pcapng', false, 'ethernet'],
  ['formats.pcapng.gz', 'pcapng', true, 'ethernet'],
];

const TIME_KEY = /^(at|start|end)$|_s$/;

/** A connection without its times (compared apart, to the µs) and frame sizes (a cooked header is
 * not an Ethernet header); whatever fields the report grows, they are compared too. */
function untimed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untimed);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !TIME_KEY.test(k) && k !== 'bytes').map(([k, v]) => [k, untimed(v)]));
}

function times(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(times);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (TIME_KEY.test(k) && typeof v === 'number' ? [v] : times(v)));
}

describeLabCapture('formats', ['abortive-close'], (lab) => {
  test('IPv4 and IPv6 connections', () => {
    const v6 = lab().report.connections.filter((c) => c.client.startsWith('['));
    expect(v6).toHaveLength(3);
    expect(lab().report.connections).toHaveLength(5);
  });

  test.each(SAME_LINK)('%s (%s, gzip %s, %s) gives formats.pcap\'s connections and times', async (file, format, gzip, linkType) => {
    const reference = lab().report;
    const r = await labReport(file);
    expect(r.input).toMatchObject({ format, gzip, link_types: [linkType], packets: reference.input.packets, tcp_packets: reference.input.tcp_packets, skipped: {} });
    expect(untimed(r.connections)).toEqual(untimed(reference.connections));
    // The same kernel timestamps, kept to the µs or the ns (dumpcap writes ns pcapng).
    // A µs file truncates them, and a double holds epoch seconds to about 0.24 µs.
    const ref = times(reference.connections);
    times(r.connections).forEach((t, i) => expect(Math.abs(t - ref[i])).toBeLessThan(2e-6));
  });

  test('formats-vlan.pcap, 802.1Q-tagged on the wire\'s trunk, gives the same connections', async () => {
    const bytes = readFileSync(join(CAPTURES_DIR, 'formats-vlan.pcap'));
    // First record: 24-byte file header, 16-byte record header, then the two MAC addresses.
    expect(bytes.readUInt16BE(24 + 16 + 12)).toBe(0x8100);
    const r = await labReport('formats-vlan.pcap');
    expect(r.input.tcp_packets).toBe(r.input.packets);
    // Another vantage point: packets of the two directions may pass it in another order.
    const loose = (c: ConnectionJson) => ({
      client: c.client, server: c.server, conn_state: c.conn_state, ending: c.ending, final_state: c.final_state,
      payload_bytes: c.payload_bytes, history: [...c.history].sort().join(''),
    });
    expect(r.connections.map(loose)).toEqual(lab().report.connections.map(loose));
  });
});
