import { ipFrame, LINKTYPE, type TcpFrameSpec, tcpFrame } from '../support/packet-builder';
import { decode } from './decode-helper';

const ETHER = LINKTYPE.ether;
/** Ethernet header (14) + IPv4 header (20) + TCP header (20). */
const HEADERS = 54;

describe('IPv4', () => {
  test.each<[string, TcpFrameSpec, object]>([
    ['plain', { payload: 100 }, { ipVersion: 4, src: '10.0.0.1', dst: '10.0.0.2', ipLen: 140, payloadLen: 100 }],
    ['options are skipped', { ipv4Options: Buffer.from([0x94, 0x04, 0, 0, 1, 1, 1, 0]), payload: 3 },
      { ipLen: 51, payloadLen: 3, sport: 40000 }],
    ['40 bytes of options', { ipv4Options: Buffer.alloc(40, 1), payload: 1 }, { ipLen: 81, payloadLen: 1 }],
    ['DF set is not a fragment', { dontFragment: true }, { ipLen: 40 }],
  ])('%s', (_name, spec, want) => {
    expect(decode(ETHER, tcpFrame(spec))).toMatchObject(want);
  });

  test('Ethernet padding after the IP packet is not payload', () => {
    const frame = Buffer.concat([tcpFrame({ flags: 'A' }), Buffer.alloc(6)]);
    expect(decode(ETHER, frame)).toMatchObject({ payloadLen: 0, ipLen: 40 });
  });

  test('a snaplen cut keeps the real payload length', () => {
    const frame = tcpFrame({ payload: 1400 });
    expect(decode(ETHER, frame.subarray(0, HEADERS + 10), frame.length)).toMatchObject({ payloadLen: 1400, ipLen: 1440 });
  });

  test('total length 0 (TSO) falls back to the wire length', () => {
    const frame = tcpFrame({ payload: 3000, ipLength: 0 });
    expect(decode(ETHER, frame)).toMatchObject({ payloadLen: 3000, ipLen: 3040 });
    expect(decode(ETHER, frame.subarray(0, 96), frame.length)).toMatchObject({ payloadLen: 3000 });
  });

  test('a total length beyond the frame is bounded by the frame, like tshark', () => {
    const frame = tcpFrame({ payload: 10, ipLength: 200 });
    expect(decode(ETHER, frame)).toMatchObject({ payloadLen: 10, ipLen: 200 });
  });

  test.each<[string, TcpFrameSpec]>([
    ['more fragments', { fragment: { offset: 0, more: true }, dontFragment: false }],
    ['last fragment', { fragment: { offset: 185, more: false }, dontFragment: false }],
    ['middle fragment', { fragment: { offset: 1, more: true }, dontFragment: false }],
  ])('fragment: %s', (_name, spec) => {
    expect(decode(ETHER, tcpFrame(spec))).toBe('ip-fragment');
  });

  test.each<[string, TcpFrameSpec]>([
    ['IHL 4', { ihl: 4 }],
    ['IHL 0', { ihl: 0 }],
    ['total length below the header length', { ipLength: 19 }],
    ['total length below IHL*4 with options', { ipv4Options: Buffer.alloc(8), ipLength: 24 }],
  ])('bad header: %s', (_name, spec) => {
    expect(decode(ETHER, tcpFrame(spec))).toBe('bad-ip-header');
  });

  test('version 6 in an IPv4 ethertype', () => {
    const frame = tcpFrame();
    frame[14] = 0x65;
    expect(decode(ETHER, frame)).toBe('bad-ip-header');
  });

  test.each([14, 20, 33])('header cut at %i bytes', (len) => {
    expect(decode(ETHER, tcpFrame().subarray(0, len), 60)).toBe('truncated-ip-header');
  });

  test('options cut by the snaplen', () => {
    const frame = tcpFrame({ ipv4Options: Buffer.alloc(8, 1) });
    expect(decode(ETHER, frame.subarray(0, 38), frame.length)).toBe('truncated-ip-header');
  });

  test.each([
    ['UDP', 17], ['ICMP', 1], ['ESP', 50], ['SCTP', 132],
  ])('%s is not TCP', (_name, protocol) => {
    expect(decode(ETHER, ipFrame({}, protocol, Buffer.alloc(16)))).toBe('not-tcp');
  });

  test('UDP to the Teredo port is not followed (tshark 4.0 does not either)', () => {
    const inner = tcpFrame({ link: 'raw', src: '2001::1', dst: '2001::2' });
    const udp = Buffer.concat([Buffer.from([0x0d, 0xd8, 0x0d, 0xd8, 0, inner.length + 8, 0, 0]), inner]);
    expect(decode(ETHER, ipFrame({}, 17, udp))).toBe('not-tcp');
  });
});
