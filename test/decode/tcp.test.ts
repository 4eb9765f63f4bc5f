import {
  TCP_ACK, TCP_CWR, TCP_ECE, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG,
} from '../../src/decode/tcp-packet';
import { LINKTYPE, type TcpFrameSpec, tcpFrame } from '../support/packet-builder';
import { decode } from './decode-helper';

const RAW = LINKTYPE.raw;
const NS = 0x100;
/** IPv4 header length of builder frames on the raw link. */
const IP = 20;

describe('TCP header fields', () => {
  test('ports, sequence numbers (unsigned), window', () => {
    const got = decode(RAW, tcpFrame({ link: 'raw', sport: 65535, dport: 1, seq: 0xffffffff, ack: 0x80000000, window: 0xfffe }));
    expect(got).toMatchObject({ sport: 65535, dport: 1, seq: 0xffffffff, ack: 0x80000000, window: 0xfffe });
  });

  test.each<[string, number]>([
    ['S', TCP_SYN], ['SA', TCP_SYN | TCP_ACK], ['FA', TCP_FIN | TCP_ACK], ['R', TCP_RST], ['RA', TCP_RST | TCP_ACK],
    ['PA', TCP_PSH | TCP_ACK], ['UA', TCP_URG | TCP_ACK], ['SEC', TCP_SYN | TCP_ECE | TCP_CWR], ['AN', TCP_ACK | NS],
    ['FSRPAUEC', 0xff], ['FSRPAUECN', 0x1ff], ['', 0],
  ])('flags %s', (letters, bits) => {
    expect(decode(RAW, tcpFrame({ link: 'raw', flags: letters }))).toMatchObject({ flags: bits });
  });

  test.each<[string, TcpFrameSpec, number]>([
    ['no payload', {}, 0],
    ['payload', { payload: 1234 }, 1234],
    ['payload after options', { mss: 1460, ts: [1, 2], payload: 10 }, 10],
  ])('payload length: %s', (_name, spec, len) => {
    expect(decode(RAW, tcpFrame({ link: 'raw', ...spec }))).toMatchObject({ payloadLen: len });
  });
});

describe('TCP options', () => {
  test.each<[string, TcpFrameSpec, object]>([
    ['none', {}, { mss: -1, windowScale: -1, sackPermitted: false, ts: null }],
    ['MSS', { mss: 1460 }, { mss: 1460, windowScale: -1 }],
    ['window scale', { wscale: 7 }, { windowScale: 7 }],
    ['window scale 14', { wscale: 14 }, { windowScale: 14 }],
    ['window scale above 14 is clamped', { wscale: 15 }, { windowScale: 14 }],
    ['window scale 255', { wscale: 255 }, { windowScale: 14 }],
    ['SACK permitted', { sackOk: true }, { sackPermitted: true }],
    ['timestamps', { ts: [0xffffffff, 7] }, { ts: [0xffffffff, 7] }],
    ['Linux SYN set', { mss: 1400, sackOk: true, ts: [5, 0], wscale: 9 },
      { mss: 1400, sackPermitted: true, ts: [5, 0], windowScale: 9 }],
    ['SACK blocks and unknown kinds are skipped', { tcpOptions: Buffer.from([5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 30, 4, 1, 2, 2, 4, 5, 0]) },
      { mss: 1280 }],
    ['options after end-of-options are ignored', { tcpOptions: Buffer.from([0, 2, 4, 5, 0]) }, { mss: -1 }],
    ['an option of the wrong length is ignored', { tcpOptions: Buffer.from([2, 3, 5, 3, 3, 7]) }, { mss: -1, windowScale: 7 }],
  ])('%s', (_name, spec, want) => {
    expect(decode(RAW, tcpFrame({ link: 'raw', ...spec }))).toMatchObject(want);
  });

  test.each<[string, number[], object]>([
    ['length 0', [2, 4, 5, 180, 8, 0, 3, 3, 7, 1, 1, 1], { mss: 1460, windowScale: -1 }],
    ['length 1', [3, 3, 7, 8, 1, 2, 4, 5, 180, 0, 0, 0], { windowScale: 7, mss: -1 }],
    ['length past the header end', [4, 2, 8, 10, 0, 0, 0, 1], { sackPermitted: true, ts: null }],
    ['kind on the last byte', [1, 1, 1, 2], { mss: -1 }],
  ])('malformed option (%s) stops parsing, the segment stays usable', (_name, bytes, want) => {
    const got = decode(RAW, tcpFrame({ link: 'raw', tcpOptions: Buffer.from(bytes), sport: 99 }));
    expect(got).toMatchObject({ sport: 99, ...want });
  });

  test('options are reset between packets', () => {
    decode(RAW, tcpFrame({ link: 'raw', mss: 1, wscale: 2, sackOk: true, ts: [3, 4] }));
    expect(decode(RAW, tcpFrame({ link: 'raw' }))).toMatchObject({ mss: -1, windowScale: -1, sackPermitted: false, ts: null });
  });
});

describe('broken TCP headers', () => {
  test.each<[string, TcpFrameSpec]>([
    ['data offset 4', { dataOffset: 4 }],
    ['data offset 0', { dataOffset: 0 }],
    ['data offset beyond the IP payload', { dataOffset: 7 }],
    ['IP payload shorter than 20 bytes', { ipLength: IP + 19 }],
    ['data offset 15 with 4 bytes of payload', { dataOffset: 15, payload: 4 }],
  ])('%s', (_name, spec) => {
    expect(decode(RAW, tcpFrame({ link: 'raw', ...spec }))).toBe('bad-tcp-header');
  });

  test.each<[string, number]>([
    ['fixed header', IP + 12],
    ['fixed header, one byte short', IP + 19],
    ['options', IP + 24],
  ])('%s cut by the snaplen', (_name, len) => {
    const frame = tcpFrame({ link: 'raw', mss: 1460, ts: [1, 2], payload: 100 });
    expect(decode(RAW, frame.subarray(0, len), frame.length)).toBe('truncated-tcp-header');
  });

  test('whole header captured, payload cut: usable', () => {
    const frame = tcpFrame({ link: 'raw', mss: 1460, payload: 100 });
    expect(decode(RAW, frame.subarray(0, IP + 24), frame.length)).toMatchObject({ mss: 1460, payloadLen: 100 });
  });
});
