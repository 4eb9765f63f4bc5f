import { ipFrame, type Ipv6Ext, LINKTYPE, type TcpFrameSpec, tcpFrame } from '../support/packet-builder';
import { decode } from './decode-helper';

const ETHER = LINKTYPE.ether;
const V6 = { src: '2001:db8::1', dst: '2001:db8:0:1::2' };

describe('IPv6', () => {
  test('plain', () => {
    expect(decode(ETHER, tcpFrame({ ...V6, payload: 10 }))).toMatchObject({
      ipVersion: 6, src: '2001:db8::1', dst: '2001:db8:0:1::2', ipLen: 70, payloadLen: 10,
    });
  });

  test.each<[string, Ipv6Ext[], number]>([
    ['hop-by-hop', [{ type: 'hop' }], 8],
    ['hop-by-hop, 24 bytes', [{ type: 'hop', length: 24 }], 24],
    ['routing', [{ type: 'routing', length: 24 }], 24],
    ['destination options', [{ type: 'dst' }], 8],
    ['authentication header (4-byte units)', [{ type: 'ah', length: 24 }], 24],
    ['atomic fragment', [{ type: 'fragment' }], 8],
    ['mobility', [{ type: 'mobility', length: 16 }], 16],
    ['HIP', [{ type: 'hip' }], 8],
    ['shim6', [{ type: 'shim6' }], 8],
    ['experimental 253 and 254', [{ type: 'exp1' }, { type: 'exp2' }], 16],
    ['a chain of five', [{ type: 'hop' }, { type: 'dst' }, { type: 'routing' }, { type: 'ah' }, { type: 'dst' }], 48],
    ['eight headers (the limit)', Array<Ipv6Ext>(8).fill({ type: 'dst' }), 64],
  ])('extension headers: %s', (_name, ipv6Ext, extLen) => {
    expect(decode(ETHER, tcpFrame({ ...V6, ipv6Ext, payload: 5 }))).toMatchObject({
      sport: 40000, dport: 80, payloadLen: 5, ipLen: 40 + extLen + 25,
    });
  });

  test.each<[string, Ipv6Ext[]]>([
    ['first fragment', [{ type: 'fragment', more: true }]],
    ['later fragment', [{ type: 'fragment', offset: 100 }]],
    ['fragment after hop-by-hop', [{ type: 'hop' }, { type: 'fragment', offset: 1, more: true }]],
  ])('%s', (_name, ipv6Ext) => {
    expect(decode(ETHER, tcpFrame({ ...V6, ipv6Ext }))).toBe('ip-fragment');
  });

  test.each<[string, TcpFrameSpec, number | null]>([
    ['nine headers', { ipv6Ext: Array<Ipv6Ext>(9).fill({ type: 'dst' }) }, null],
    ['a length running past the packet', { ipv6Ext: [{ type: 'hop', lengthField: 200 }] }, null],
    ['a length running past the payload length', { ipv6Ext: [{ type: 'dst', lengthField: 9 }], payload: 30 }, null],
    ['a header cut by the snaplen', { ipv6Ext: [{ type: 'hop' }, { type: 'dst' }] }, 14 + 40 + 8 + 4],
  ])('broken chain: %s', (_name, spec, cut) => {
    const frame = tcpFrame({ ...V6, ...spec });
    const reason = decode(ETHER, cut === null ? frame : frame.subarray(0, cut), frame.length);
    expect(reason).toBe('ipv6-extension-chain');
  });

  test('a length running past the payload length but not the frame', () => {
    const frame = tcpFrame({ ...V6, ipv6Ext: [{ type: 'hop', lengthField: 5 }], payload: 0 });
    expect(decode(ETHER, Buffer.concat([frame, Buffer.alloc(40)]))).toBe('ipv6-extension-chain');
  });

  test('payload length 0 (jumbogram) falls back to the wire length', () => {
    const frame = tcpFrame({ ...V6, ipLength: 0, payload: 70000 });
    expect(decode(ETHER, frame.subarray(0, 200), frame.length)).toMatchObject({ payloadLen: 70000, ipLen: 70060 });
  });

  test('snaplen cut keeps the real payload length', () => {
    const frame = tcpFrame({ ...V6, payload: 1000 });
    expect(decode(ETHER, frame.subarray(0, 80), frame.length)).toMatchObject({ payloadLen: 1000, ipLen: 1060 });
  });

  test.each([['ICMPv6', 58], ['no next header', 59], ['UDP', 17], ['ESP', 50]])('%s is not TCP', (_name, next) => {
    expect(decode(ETHER, ipFrame(V6, next, Buffer.alloc(16)))).toBe('not-tcp');
    expect(decode(ETHER, ipFrame({ ...V6, ipv6Ext: [{ type: 'hop' }] }, next, Buffer.alloc(16)))).toBe('not-tcp');
  });

  test('header cut short', () => {
    expect(decode(ETHER, tcpFrame(V6).subarray(0, 14 + 39), 74)).toBe('truncated-ip-header');
  });

  test('version 4 in an IPv6 ethertype', () => {
    const frame = tcpFrame(V6);
    frame[14] = 0x45;
    expect(decode(ETHER, frame)).toBe('bad-ip-header');
  });
});
