import { type IpSpec, ipAddresses, ipPacket } from './frames/ip-packet';
import { type LinkSpec, linkFrame } from './frames/link-frame';
import { type TcpSpec, tcpSegment } from './frames/tcp-segment';
import { type TunnelSpec, tunnelPacket } from './frames/tunnel';

/**
 * Readable test frames. `tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80,
 * flags: 'SA', mss: 1460, vlan: [10], link: 'ether' })` gives the bytes of one frame; store it
 * with `LINKTYPE[spec.link ?? 'ether']`. Checksums are valid; every field has a default.
 */
export interface FrameSpec extends IpSpec, LinkSpec {
  /** Tunnels, outermost first. */
  tunnel?: TunnelSpec[];
}

export interface TcpFrameSpec extends FrameSpec, TcpSpec {}

export function tcpFrame(spec: TcpFrameSpec = {}): Buffer {
  const [src, dst] = ipAddresses(spec);
  return ipFrame(spec, 6, tcpSegment(spec, src, dst));
}

/** A frame carrying any IP protocol (UDP, ICMP…), through the same tunnels and link layers. */
export function ipFrame(spec: FrameSpec, protocol: number, payload: Buffer): Buffer {
  let packet = ipPacket(spec, protocol, payload);
  for (const t of [...(spec.tunnel ?? [])].reverse()) packet = tunnelPacket(t, packet);
  return linkFrame(spec, packet[0] >> 4 === 4 ? 0x0800 : 0x86dd, packet);
}

export { ipBytes } from './frames/ip-address';
export type { Ipv6Ext } from './frames/ip-packet';
export { LINKTYPE, type LinkName, linkFrame } from './frames/link-frame';
export { flagBits } from './frames/tcp-segment';
export type { TunnelSpec };
