import { ADDRESSES } from '../links';
import type { Scenario } from '../scenario';
import { playTeardown } from './teardown';

const P = { vlan_id: 7, hold_after_ms: 300 };

/** The same short mix of endings over IPv4 and IPv6, recorded by six recorders at once: Ethernet
 * (µs and ns), Linux cooked v1 and v2 (`-i any`), pcapng (dumpcap) and 802.1Q-tagged frames on the
 * wire's trunk, plus a gzip copy of the pcapng. Every file must give the same connections. */
export const formats: Scenario = {
  name: 'formats',
  summary: 'IPv4 and IPv6 connections (client-first, server-first, RST, half-close) in six capture formats at once',
  params: P,
  lab: { ipv6: true, wire: { delayMs: 0, vlanId: P.vlan_id }, sysctls: {} },
  recorders: [
    { file: 'formats.pcap', tool: 'tcpdump' },
    { file: 'formats-nano.pcap', tool: 'tcpdump', nano: true },
    { file: 'formats-sll.pcap', tool: 'tcpdump', any: true, linkType: 'LINUX_SLL' },
    { file: 'formats-sll2.pcap', tool: 'tcpdump', any: true, linkType: 'LINUX_SLL2' },
    { file: 'formats.pcapng', tool: 'dumpcap', gzip: true },
    { file: 'formats-vlan.pcap', tool: 'tcpdump', at: 'trunk' },
  ],
  play: (stage) => {
    const { v4, v6 } = ADDRESSES.server;
    return playTeardown(stage, [v4, v6], [
      { atMs: 0, mode: 'client-closes', host: v4 },
      { atMs: 200, mode: 'client-closes', host: v6 },
      { atMs: 400, mode: 'server-closes', host: v6 },
      { atMs: 600, mode: 'linger0', host: v4, arg: 0 },
      { atMs: 800, mode: 'half-close', host: v6 },
    ], P.hold_after_ms);
  },
};
