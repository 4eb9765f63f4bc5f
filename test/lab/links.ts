import { runSync } from './exec';
import { setSysctls, type Sysctls } from './sysctl';

export type Host = 'server' | 'client';
export const HOSTS: readonly Host[] = ['server', 'client'];

/** RFC 2544 benchmarking and RFC 3849 documentation addresses: they exist only inside the lab's namespaces. */
export const ADDRESSES: Record<Host, { v4: string; v6: string }> = {
  server: { v4: '198.18.0.1', v6: '2001:db8::1' },
  client: { v4: '198.18.0.2', v6: '2001:db8::2' },
};
/** Each host's end of the link. Names live inside the lab's own namespaces, so they never clash. */
export const IFACE = 'lab0';
/** The wire namespace's interfaces: towards each host, and the two ends of the 802.1Q trunk. */
export const WIRE_IFACES = { server: 's', client: 'c', trunkA: 'ta', trunkB: 'tb' } as const;

/** How long after building an IPv6 lab its multicast listener reports may still be on the wire. */
export const MLD_QUIET_MS = 200;

export interface WireSpec {
  /** One-way delay added to every frame (this kernel has no netem). */
  delayMs: number;
  /** Carry the frames tagged with this VLAN id over a trunk (this kernel has no 8021q module). */
  vlanId?: number;
}

/** Links the two hosts' namespaces, directly or through the wire's, addresses them and sets each
 * host's sysctls. */
export function buildLinks(ns: Record<Host, string>, wireNs: string | null, ipv6: boolean, vlan: boolean,
  sysctls: Partial<Record<Host, Sysctls>>): void {
  // IPv6 off where unused, and without link-local addresses where used: no router solicitations or
  // neighbour discovery in the captures, only the scenario's own traffic. The multicast listener
  // reports that adding an address still sends are over within MLD_QUIET_MS.
  const v6: Sysctls = ipv6
    ? {
      'net.ipv6.conf.default.addr_gen_mode': 1,
      'net.ipv6.conf.default.accept_dad': 0,
      'net.ipv6.conf.default.mldv2_unsolicited_report_interval': 10,
    }
    : { 'net.ipv6.conf.all.disable_ipv6': 1, 'net.ipv6.conf.default.disable_ipv6': 1 };
  setSysctls(ns.server, { ...v6, ...sysctls.server });
  setSysctls(ns.client, { ...v6, ...sysctls.client });
  if (wireNs === null) ip('link', 'add', IFACE, 'netns', ns.server, 'type', 'veth', 'peer', 'name', IFACE, 'netns', ns.client);
  else buildWire(wireNs, ns, vlan);
  for (const host of HOSTS) {
    offloadsOff(ns[host], IFACE);
    ip('-n', ns[host], 'addr', 'add', `${ADDRESSES[host].v4}/24`, 'dev', IFACE);
    if (ipv6) ip('-n', ns[host], 'addr', 'add', `${ADDRESSES[host].v6}/64`, 'dev', IFACE, 'nodad');
    ip('-n', ns[host], 'link', 'set', IFACE, 'up');
  }
  // Static neighbours: no ARP at random moments in the middle of a capture.
  for (const [host, peer] of [['server', 'client'], ['client', 'server']] as const) {
    const mac = macOf(ns[peer]);
    const addresses = ipv6 ? [ADDRESSES[peer].v4, ADDRESSES[peer].v6] : [ADDRESSES[peer].v4];
    for (const a of addresses) ip('-n', ns[host], 'neigh', 'replace', a, 'lladdr', mac, 'dev', IFACE, 'nud', 'permanent');
  }
}

function buildWire(w: string, ns: Record<Host, string>, vlan: boolean): void {
  setSysctls(w, { 'net.ipv6.conf.all.disable_ipv6': 1, 'net.ipv6.conf.default.disable_ipv6': 1 });
  ip('link', 'add', IFACE, 'netns', ns.server, 'type', 'veth', 'peer', 'name', WIRE_IFACES.server, 'netns', w);
  ip('link', 'add', IFACE, 'netns', ns.client, 'type', 'veth', 'peer', 'name', WIRE_IFACES.client, 'netns', w);
  const ifaces: string[] = [WIRE_IFACES.server, WIRE_IFACES.client];
  if (vlan) {
    ip('link', 'add', WIRE_IFACES.trunkA, 'netns', w, 'type', 'veth', 'peer', 'name', WIRE_IFACES.trunkB, 'netns', w);
    ifaces.push(WIRE_IFACES.trunkA, WIRE_IFACES.trunkB);
  }
  for (const name of ifaces) {
    offloadsOff(w, name);
    // Room for the 4-byte tag on a full-size frame.
    if (name === WIRE_IFACES.trunkA || name === WIRE_IFACES.trunkB) ip('-n', w, 'link', 'set', name, 'mtu', '1504');
    ip('-n', w, 'link', 'set', name, 'up');
  }
}

/** Real-wire frames: no segmentation offload (64 KiB "packets"), and checksums filled in, which the
 * userspace wire needs since it hands frames over as plain bytes. */
function offloadsOff(ns: string, iface: string): void {
  runSync('ip', ['netns', 'exec', ns, 'ethtool', '-K', iface, 'tx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off']);
}

function macOf(ns: string): string {
  const links = JSON.parse(runSync('ip', ['-n', ns, '-j', 'link', 'show', IFACE])) as { address: string }[];
  return links[0].address;
}

function ip(...args: string[]): void {
  runSync('ip', args);
}
