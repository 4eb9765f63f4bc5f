/** The decoded view of one TCP segment. The decoder fills one reused object per packet. */

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

export interface TcpPacket {
  ipVersion: 4 | 6;
  /** Addresses are not copied: they are `addrLen` bytes at srcOffset/dstOffset of `bytes`. */
  bytes: Buffer;
  srcOffset: number;
  dstOffset: number;
  addrLen: 4 | 16;
  srcPort: number;
  dstPort: number;
  /** Raw 32-bit values (unsigned). */
  seq: number;
  ack: number;
  /** TCP flag bits (TCP_* above, plus NS as 0x100). */
  flags: number;
  /** Raw window field, unscaled. */
  window: number;
  /** Payload length from the IP length, so a snaplen-cut packet still counts its real length. */
  payloadLen: number;
  /** How much of the payload the capture kept (less than payloadLen under a snaplen). */
  payloadCaptured: number;
  /** Bytes of the IP packet as the IP header says (Zeek's ip_bytes). */
  ipLen: number;
  /** TCP options; -1 / false when absent. */
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  hasTimestamp: boolean;
  tsVal: number;
  tsEcr: number;
}

/** Why a packet is not a TCP segment we can use. Stable names: counted and reported. */
export type SkipReason =
  | 'unknown-link-type'
  | 'truncated-link-header'
  | 'not-ip'
  | 'truncated-ip-header'
  | 'bad-ip-header'
  | 'ip-fragment'
  | 'ipv6-extension-chain'
  | 'tunnel-unsupported'
  | 'truncated-tunnel-header'
  | 'not-tcp'
  | 'truncated-tcp-header'
  | 'bad-tcp-header'
  | 'empty-packet';

export function newTcpPacket(): TcpPacket {
  return {
    ipVersion: 4, bytes: Buffer.alloc(0), srcOffset: 0, dstOffset: 0, addrLen: 4,
    srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, payloadLen: 0, payloadCaptured: 0, ipLen: 0,
    mss: -1, windowScale: -1, sackPermitted: false, hasTimestamp: false, tsVal: 0, tsEcr: 0,
  };
}
