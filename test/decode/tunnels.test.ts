import { ipFrame, LINKTYPE, type TcpFrameSpec, tcpFrame, type TunnelSpec } from '../support/packet-builder';
import { decode, tuple } from './decode-helper';

const ETHER = LINKTYPE.ether;
const INNER = { src: '172.16.0.1', dst: '172.16.0.2', sport: 5000, dport: 22, payload: 7 };
const INNER_TUPLE = '172.16.0.1 5000 > 172.16.0.2 22';

describe('TCP inside tunnels is found, with the inner addresses', () => {
  test.each<[string, TunnelSpec[]]>([
    ['IPv4 in IPv4', [{ type: 'ipip' }]],
    ['GRE', [{ type: 'gre' }]],
    ['GRE with checksum', [{ type: 'gre', checksum: true }]],
    ['GRE with key', [{ type: 'gre', key: 0xdeadbeef }]],
    ['GRE with sequence number', [{ type: 'gre', seq: 7 }]],
    ['GRE with checksum, key and sequence number', [{ type: 'gre', checksum: true, key: 1, seq: 2 }]],
    ['GRE over IPv6', [{ type: 'gre', src: '2001:db8::a', dst: '2001:db8::b' }]],
    ['IPv4 in IPv6', [{ type: 'ipip', src: '2001:db8::a', dst: '2001:db8::b' }]],
    ['GRE transparent Ethernet bridging', [{ type: 'teb' }]],
    ['NVGRE-style TEB with key', [{ type: 'teb', key: 0x123400 }]],
    ['ERSPAN type I', [{ type: 'erspan1' }]],
    ['ERSPAN type II', [{ type: 'erspan2', seq: 9 }]],
    ['ERSPAN type III', [{ type: 'erspan3' }]],
    ['ERSPAN type III with platform sub-header', [{ type: 'erspan3', platform: true }]],
    ['GRE in IP-in-IP', [{ type: 'ipip' }, { type: 'gre' }]],
    ['four levels (the limit)', [{ type: 'gre' }, { type: 'ipip' }, { type: 'erspan2' }, { type: 'ipip' }]],
  ])('%s', (_name, tunnel) => {
    const got = decode(ETHER, tcpFrame({ ...INNER, tunnel }));
    expect(tuple(got)).toBe(INNER_TUPLE);
    expect(got).toMatchObject({ payloadLen: 7, ipLen: 47, ipVersion: 4 });
  });

  test('IPv6 in IPv4 (6in4)', () => {
    const frame = tcpFrame({ src: '2001:db8::1', dst: '2001:db8::2', sport: 1, dport: 2, tunnel: [{ type: 'ipip' }] });
    expect(tuple(decode(ETHER, frame))).toBe('2001:db8::1 1 > 2001:db8::2 2');
  });

  test('IPv6 inside ERSPAN inside a VLAN', () => {
    const frame = tcpFrame({ src: 'fe80::1', dst: 'fe80::2', sport: 1, dport: 2, vlan: [4], tunnel: [{ type: 'erspan2' }] });
    expect(decode(ETHER, frame)).toMatchObject({ ipVersion: 6, src: 'fe80::1', ipLen: 60 });
  });

  test('the outer IP length bounds the inner packet', () => {
    const frame = tcpFrame({ ...INNER, tunnel: [{ type: 'gre' }] });
    const padded = Buffer.concat([frame, Buffer.alloc(12)]);
    expect(decode(ETHER, padded)).toMatchObject({ payloadLen: 7 });
  });
});

describe('tunnels not followed', () => {
  test.each<[string, TcpFrameSpec]>([
    ['five levels', { tunnel: [{ type: 'gre' }, { type: 'ipip' }, { type: 'gre' }, { type: 'ipip' }, { type: 'gre' }] }],
    ['enhanced GRE (PPTP, version 1)', { tunnel: [{ type: 'gre', version: 1 }] }],
    ['GRE with RFC 1701 routing', { tunnel: [{ type: 'gre', routing: true }] }],
  ])('%s', (_name, spec) => {
    expect(decode(ETHER, tcpFrame(spec))).toBe('tunnel-unsupported');
  });

  test('an unknown GRE protocol type is not IP', () => {
    const gre = Buffer.from([0, 0, 0x88, 0x3e, 1, 2, 3, 4]);
    expect(decode(ETHER, ipFrame({}, 47, gre))).toBe('not-ip');
  });

  test.each<[string, TunnelSpec[], number]>([
    ['GRE base header', [{ type: 'gre' }], 3],
    ['GRE key word', [{ type: 'gre', key: 1 }], 6],
    ['ERSPAN II header', [{ type: 'erspan2' }], 8 + 7],
    ['ERSPAN III header', [{ type: 'erspan3' }], 8 + 11],
    ['ERSPAN III platform sub-header', [{ type: 'erspan3', platform: true }], 8 + 19],
  ])('%s cut short', (_name, tunnel, greBytes) => {
    const frame = tcpFrame({ tunnel });
    expect(decode(ETHER, frame.subarray(0, 34 + greBytes), frame.length)).toBe('truncated-tunnel-header');
  });
});
