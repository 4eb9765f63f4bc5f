import { TCP_RST, TCP_SYN } from '../../src/decode/tcp-packet';
import { ipBytes, LINKTYPE, tcpFrame } from '../support/packet-builder';
import { decode } from './decode-helper';

/** Real frames from the corpus, written out by hand, checked against the builder so that the
 * builder-made frames every other test uses are known to be right (checksums included). */

/* zeek__tcp__single-rst.pcap frame 1, `tcpdump -XX`:
 *   0x0000:  b8f8 5339 4f1e f018 9879 e86b 0800 4500   ..S9O....y.k..E.
 *   0x0010:  0028 0001 0000 4006 6676 0a00 000a 0a00   .(....@.fv......
 *   0x0020:  0050 be89 0050 0000 0000 0000 0000 5004   .P...P........P.
 *   0x0030:  2000 bcad 0000                             .....
 */
const SINGLE_RST = 'b8f853394f1ef0189879e86b08004500002800010000400666760a00000a0a000050' +
  'be890050000000000000000050042000bcad0000';

/* suricata__bug-814__input.pcap frame 1 (VLAN 1111, IPv6 SYN), `tcpdump -XX`:
 *   0x0000:  5254 0012 3502 0800 27bf 4f8a 8100 0457   RT..5...'.O....W
 *   0x0010:  86dd 6000 0000 0014 0640 fe80 0000 0000   ..`......@......
 *   0x0020:  0000 020c 29ff fef3 cf38 fe80 0000 0000   ....)....8......
 *   0x0030:  0000 020c 29ff faf2 ab42 e3c3 0050 e851   ....)....B...P.Q
 *   0x0040:  498b 0000 0000 5002 2000 b077 0000        I.....P. ..w..
 */
const VLAN_IPV6_SYN = '525400123502080027bf4f8a8100045786dd6000000000140640fe80000000000000020c' +
  '29fffef3cf38fe80000000000000020c29fffaf2ab42e3c30050e851498b0000000050022000b0770000';

/* tcpdump__tcp-handshake-nano.pcap frame 1 (Linux cooked v1, SYN with Linux options), `tcpdump -XX`:
 *   0x0000:  0004 0200 0000 0000 0000 0000 0000 0800   ................
 *   0x0010:  4500 003c 29a9 4000 4006 db5f 839b d745   E..<).@.@.._...E
 *   0x0020:  8974 515e b640 0050 2f84 2acb 0000 0000   .tQ^.@.P/.*.....
 *   0x0030:  a002 6a40 50c4 0000 0204 0550 0402 080a   ..j@P......P....
 *   0x0040:  436a 0362 0000 0000 0103 0307             Cj.b........
 */
const SLL_SYN_OPTIONS = '000402000000000000000000000008004500003c29a940004006db5f839bd7458974515e' +
  'b64000502f842acb00000000a0026a4050c40000020405500402080a436a03620000000001030307';

describe('packet builder against hand-written frames', () => {
  test('Ethernet IPv4 RST', () => {
    const built = tcpFrame({
      dstMac: 'b8:f8:53:39:4f:1e', srcMac: 'f0:18:98:79:e8:6b', src: '10.0.0.10', dst: '10.0.0.80',
      ipId: 1, dontFragment: false, sport: 48777, dport: 80, seq: 0, ack: 0, flags: 'R', window: 8192,
    });
    expect(built.toString('hex')).toBe(SINGLE_RST);
    expect(decode(LINKTYPE.ether, Buffer.from(SINGLE_RST, 'hex'))).toMatchObject({
      src: '10.0.0.10', dst: '10.0.0.80', sport: 48777, dport: 80, flags: TCP_RST, ipLen: 40, payloadLen: 0,
    });
  });

  test('802.1Q IPv6 SYN', () => {
    const built = tcpFrame({
      dstMac: '52:54:00:12:35:02', srcMac: '08:00:27:bf:4f:8a', vlan: [1111],
      src: 'fe80::20c:29ff:fef3:cf38', dst: 'fe80::20c:29ff:faf2:ab42',
      sport: 58307, dport: 80, seq: 0xe851498b, flags: 'S', window: 8192,
    });
    expect(built.toString('hex')).toBe(VLAN_IPV6_SYN);
    expect(decode(LINKTYPE.ether, Buffer.from(VLAN_IPV6_SYN, 'hex'))).toMatchObject({
      ipVersion: 6, src: 'fe80::20c:29ff:fef3:cf38', dst: 'fe80::20c:29ff:faf2:ab42', seq: 0xe851498b,
      flags: TCP_SYN, ipLen: 60,
    });
  });

  test('Linux cooked SYN with MSS, SACK-permitted, timestamps, window scale', () => {
    const built = tcpFrame({
      link: 'sll', sll: { packetType: 4, hatype: 512, addr: Buffer.alloc(0) },
      src: '131.155.215.69', dst: '137.116.81.94', ipId: 0x29a9,
      sport: 46656, dport: 80, seq: 0x2f842acb, flags: 'S', window: 27200,
      mss: 1360, sackOk: true, ts: [0x436a0362, 0], wscale: 7,
    });
    expect(built.toString('hex')).toBe(SLL_SYN_OPTIONS);
    expect(decode(LINKTYPE.sll, Buffer.from(SLL_SYN_OPTIONS, 'hex'))).toMatchObject({
      mss: 1360, windowScale: 7, sackPermitted: true, ts: [0x436a0362, 0], window: 27200,
    });
  });
});

describe('ipBytes', () => {
  test.each([
    ['10.1.2.3', '0a010203'],
    ['::', '0'.repeat(32)],
    ['::1', `${'0'.repeat(30)}01`],
    ['2001:db8::8:800:200c:417a', '20010db80000000000080800200c417a'],
    ['fe80::', `fe80${'0'.repeat(28)}`],
    ['::ffff:192.0.2.1', `${'0'.repeat(20)}ffffc0000201`],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ])('%s', (text, hex) => {
    expect(ipBytes(text).toString('hex')).toBe(hex);
  });

  test('rejects what is not an address', () => {
    expect(() => ipBytes('10.0.0')).toThrow('not an IP address');
  });
});
