import { TCP_ACK, TCP_SYN } from '../../decode/tcp-packet';

/**
 * Zeek has no "< 1024" rule: IPBasedAnalyzer::IsLikelyServerPort looks the port up in the script-level
 * set `likely_server_ports`, which each loaded protocol script extends (`redef likely_server_ports += { ports }`).
 * These are the TCP ports added by Zeek's default base/protocols scripts (Zeek 6/7); a bare (`zeek -b`) run
 * with fewer scripts loaded knows fewer.
 */
const LIKELY_SERVER_PORTS: ReadonlySet<number> = new Set([
  21, 2811, // ftp, gridftp
  22, // ssh
  25, 587, // smtp
  53, // dns
  79, // finger
  80, 81, 631, 1080, 3128, 8000, 8080, 8888, // http
  88, 750, // krb
  135, // dce-rpc
  139, 445, // smb
  143, // imap
  389, 3268, // ldap
  443, 563, 585, 614, 636, 989, 990, 992, 993, 995, 5223, // ssl
  502, // modbus
  1434, 3306, // mysql
  1883, // mqtt
  3389, // rdp
  5222, 5269, // xmpp
  5432, // postgresql
  6379, // redis
  6666, 6667, 6668, 6669, // irc
  20000, // dnp3
]);

export function isLikelyServerPort(port: number): boolean {
  return LIKELY_SERVER_PORTS.has(port);
}

/**
 * Whether Zeek makes the destination of a connection's first packet its originator (TCPAnalyzer::WantConnection).
 * Only a first packet that is not a pure SYN can flip; a SYN-ACK flips only when just its source port is likely,
 * other packets also when both are likely and the source port is the lower one.
 */
export function zeekFlipsFirstPacket(flags: number, srcPort: number, dstPort: number): boolean {
  const syn = (flags & TCP_SYN) !== 0;
  if (syn && (flags & TCP_ACK) === 0) return false;
  if (!isLikelyServerPort(srcPort)) return false;
  if (!isLikelyServerPort(dstPort)) return true;
  return !syn && srcPort < dstPort;
}
