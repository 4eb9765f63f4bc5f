import { TCP_ACK, TCP_SYN } from '../../src/decode/tcp-packet';
import { LINKTYPE, linkFrame, type TcpFrameSpec, tcpFrame } from '../support/packet-builder';
import { decode, tuple } from './decode-helper';

const SEGMENT = { sport: 40000, dport: 443, seq: 0x01020304, ack: 0xfffffff0, flags: 'SA', payload: 0 };
const WANT = { sport: 40000, dport: 443, seq: 0x01020304, ack: 0xfffffff0, flags: TCP_SYN | TCP_ACK };

describe('link layers carry the same TCP segment', () => {
  test.each<[string, number, TcpFrameSpec]>([
    ['Ethernet', LINKTYPE.ether, {}],
    ['802.1Q', LINKTYPE.ether, { vlan: [10] }],
    ['802.1ad + 802.1Q (Q-in-Q)', LINKTYPE.ether, { vlan: [100, 10], vlanTpids: [0x88a8, 0x8100] }],
    ['0x9100 + 802.1Q', LINKTYPE.ether, { vlan: [100, 10], vlanTpids: [0x9100, 0x8100] }],
    ['three stacked tags', LINKTYPE.ether, { vlan: [1, 2, 3], vlanTpids: [0x88a8, 0x8100, 0x8100] }],
    ['PPPoE over Q-in-Q', LINKTYPE.ether, { vlan: [3704, 2474], pppoe: {} }],
    ['PPPoE IPv6', LINKTYPE.ether, { pppoe: {}, src: '2001:db8::1', dst: '2001:db8::2' }],
    ['MPLS one label', LINKTYPE.ether, { mpls: [29] }],
    ['MPLS three labels, IPv6', LINKTYPE.ether, { mpls: [16, 17, 18], src: '2001:db8::1', dst: '2001:db8::2' }],
    ['MPLS inside a VLAN', LINKTYPE.ether, { vlan: [7], mpls: [100] }],
    ['Linux cooked v1', LINKTYPE.sll, { link: 'sll' }],
    ['Linux cooked v1 with a VLAN tag', LINKTYPE.sll, { link: 'sll', vlan: [5] }],
    ['Linux cooked v2', LINKTYPE.sll2, { link: 'sll2' }],
    ['Linux cooked v2, IPv6', LINKTYPE.sll2, { link: 'sll2', src: '::1', dst: '::1' }],
    ['NULL little-endian', LINKTYPE.null, { link: 'null' }],
    ['NULL big-endian', LINKTYPE.null, { link: 'null', nullByteOrder: 'be' }],
    ['NULL IPv6 AF 24', LINKTYPE.null, { link: 'null', src: '::1', dst: '::2', family: 24 }],
    ['NULL IPv6 AF 28', LINKTYPE.null, { link: 'null', src: '::1', dst: '::2', family: 28 }],
    ['NULL IPv6 AF 30 big-endian', LINKTYPE.null, { link: 'null', src: '::1', dst: '::2', family: 30, nullByteOrder: 'be' }],
    ['LOOP', LINKTYPE.loop, { link: 'loop' }],
    ['LOOP IPv6', LINKTYPE.loop, { link: 'loop', src: '::1', dst: '::2', family: 30 }],
    ['raw (101)', LINKTYPE.raw, { link: 'raw' }],
    ['raw IPv6 (101)', LINKTYPE.raw, { link: 'raw', src: '::1', dst: '::2' }],
    ['raw as DLT 12', 12, { link: 'raw' }],
    ['raw as DLT 14', 14, { link: 'raw' }],
    ['IPv4 (228)', 228, { link: 'raw' }],
    ['IPv6 (229)', 229, { link: 'raw', src: '::1', dst: '::2' }],
    ['IP over InfiniBand', LINKTYPE.ipoib, { link: 'ipoib' }],
  ])('%s', (_name, linkType, spec) => {
    const frame = tcpFrame({ ...SEGMENT, ...spec });
    expect(decode(linkType, frame)).toMatchObject(WANT);
  });

  test('the MPLS multicast ethertype 0x8848 is followed too', () => {
    const frame = tcpFrame({ ...SEGMENT, mpls: [5] });
    frame.writeUInt16BE(0x8848, 12);
    expect(decode(LINKTYPE.ether, frame)).toMatchObject(WANT);
  });
});

describe('frames that are not IP', () => {
  const ip = tcpFrame({ link: 'raw' });
  test.each<[string, number, Buffer]>([
    ['ARP', LINKTYPE.ether, linkFrame({}, 0x0806, Buffer.alloc(28))],
    ['LLDP in a VLAN', LINKTYPE.ether, linkFrame({ vlan: [3] }, 0x88cc, Buffer.alloc(20))],
    ['802.3 length field', LINKTYPE.ether, linkFrame({}, 46, Buffer.alloc(46))],
    ['PPPoE LCP', LINKTYPE.ether, linkFrame({ pppoe: {} }, 0xc021, Buffer.alloc(10))],
    ['PPPoE discovery', LINKTYPE.ether, linkFrame({}, 0x8863, Buffer.alloc(10))],
    ['MPLS pseudowire control word', LINKTYPE.ether, linkFrame({ mpls: [9] }, 0, Buffer.alloc(40))],
    ['Linux cooked ARP', LINKTYPE.sll, linkFrame({ link: 'sll' }, 0x0806, Buffer.alloc(28))],
    ['NULL AF 7', LINKTYPE.null, linkFrame({ link: 'null', family: 7 }, 0x0800, ip)],
    ['LOOP, little-endian AF (LOOP is always big-endian)', LINKTYPE.loop, Buffer.concat([Buffer.from([2, 0, 0, 0]), ip])],
    ['raw, version 5', LINKTYPE.raw, Buffer.from([0x50, 0, 0, 20])],
    ['IPoIB ARP', LINKTYPE.ipoib, linkFrame({ link: 'ipoib' }, 0x0806, Buffer.alloc(28))],
  ])('%s', (_name, linkType, frame) => {
    expect(decode(linkType, frame)).toBe('not-ip');
  });
});

describe('link headers cut short', () => {
  test.each<[string, number, number]>([
    ['Ethernet', LINKTYPE.ether, 13],
    ['Linux cooked v1', LINKTYPE.sll, 15],
    ['Linux cooked v2', LINKTYPE.sll2, 19],
    ['NULL', LINKTYPE.null, 3],
    ['LOOP', LINKTYPE.loop, 3],
    ['IPoIB', LINKTYPE.ipoib, 43],
  ])('%s', (_name, linkType, len) => {
    expect(decode(linkType, Buffer.alloc(len, 0x11))).toBe('truncated-link-header');
  });

  test.each<[string, TcpFrameSpec, number]>([
    ['VLAN tag', { vlan: [1] }, 17],
    ['PPPoE header', { pppoe: {} }, 21],
    ['MPLS label', { mpls: [1, 2] }, 17],
    ['MPLS bottom label, nothing after', { mpls: [1] }, 18],
  ])('%s', (_name, spec, len) => {
    expect(decode(LINKTYPE.ether, tcpFrame(spec).subarray(0, len))).toBe('truncated-link-header');
  });
});

test('unknown link types are named as such', () => {
  expect(decode(105, tcpFrame())).toBe('unknown-link-type');
  expect(decode(-1, tcpFrame())).toBe('unknown-link-type');
});

test('more headers than the decoder follows (40 stacked VLAN tags)', () => {
  expect(decode(LINKTYPE.ether, tcpFrame({ vlan: Array<number>(40).fill(1) }))).toBe('tunnel-unsupported');
  expect(decode(LINKTYPE.ether, tcpFrame({ vlan: Array<number>(29).fill(1) }))).toMatchObject({ dport: 80 });
});

test('an empty record', () => {
  expect(decode(LINKTYPE.ether, Buffer.alloc(0))).toBe('empty-packet');
});

test('PPPoE length bounds the payload (padding counted in the IP length, as in zeek__pppoe-over-qinq)', () => {
  const frame = tcpFrame({ vlan: [1], pppoe: {}, payload: 6 });
  const pppoeLength = 18 + 4;
  frame.writeUInt16BE(frame.readUInt16BE(pppoeLength) - 6, pppoeLength);
  expect(decode(LINKTYPE.ether, frame)).toMatchObject({ payloadLen: 0, ipLen: 46 });
  expect(tuple(decode(LINKTYPE.ether, frame))).toBe('10.0.0.1 40000 > 10.0.0.2 80');
});
