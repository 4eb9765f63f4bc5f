import { decodePacket } from '../../src/decode/decode-packet';
import { newTcpPacket, type SkipReason } from '../../src/decode/tcp-packet';
import { ipFrame, type Ipv6Ext, LINKTYPE, linkFrame, type TcpFrameSpec, tcpFrame } from '../support/packet-builder';
import { prng } from '../support/prng';

const out = newTcpPacket();

/** One frame per SkipReason: the Record type makes the compiler insist that every name is here. */
const REACHES: Record<SkipReason, [number, Buffer, number?]> = {
  'unknown-link-type': [147, tcpFrame()],
  'truncated-link-header': [LINKTYPE.ether, Buffer.alloc(10)],
  'not-ip': [LINKTYPE.ether, linkFrame({}, 0x0806, Buffer.alloc(28))],
  'truncated-ip-header': [LINKTYPE.ether, tcpFrame().subarray(0, 30), 54],
  'bad-ip-header': [LINKTYPE.ether, tcpFrame({ ihl: 3 })],
  'ip-fragment': [LINKTYPE.ether, tcpFrame({ fragment: { offset: 0, more: true } })],
  'ipv6-extension-chain': [LINKTYPE.ether, tcpFrame({ src: '::1', dst: '::2', ipv6Ext: Array<Ipv6Ext>(9).fill({ type: 'hop' }) })],
  'tunnel-unsupported': [LINKTYPE.ether, tcpFrame({ tunnel: [{ type: 'gre', version: 1 }] })],
  'truncated-tunnel-header': [LINKTYPE.ether, tcpFrame({ tunnel: [{ type: 'gre' }] }).subarray(0, 36), 94],
  'not-tcp': [LINKTYPE.ether, ipFrame({}, 17, Buffer.alloc(8))],
  'truncated-tcp-header': [LINKTYPE.ether, tcpFrame().subarray(0, 40), 54],
  'bad-tcp-header': [LINKTYPE.ether, tcpFrame({ dataOffset: 3 })],
  'empty-packet': [LINKTYPE.ether, Buffer.alloc(0)],
};

test.each(Object.entries(REACHES))('%s is reached', (reason, [linkType, frame, origLen]) => {
  expect(decodePacket(linkType, frame, origLen ?? frame.length, out)).toBe(reason);
});

/** Frames whose every prefix is tried: shorter than the headers gives a reason, never a throw. */
const PAYLOAD = 10;
const FRAMES: [string, number, TcpFrameSpec][] = [
  ['Ethernet IPv4 with IP and TCP options', LINKTYPE.ether, { ipv4Options: Buffer.alloc(8, 1), mss: 1460, ts: [1, 2] }],
  ['Q-in-Q PPPoE', LINKTYPE.ether, { vlan: [1, 2], pppoe: {} }],
  ['MPLS IPv6 with extension headers', LINKTYPE.ether, { mpls: [1, 2], src: '::1', dst: '::2', ipv6Ext: [{ type: 'hop' }, { type: 'fragment' }] }],
  ['ERSPAN III carrying IPv6', LINKTYPE.ether, { src: '::1', dst: '::2', tunnel: [{ type: 'erspan3', platform: true }] }],
  ['GRE with all fields in 6in4', LINKTYPE.sll2, { link: 'sll2', tunnel: [{ type: 'ipip' }, { type: 'gre', checksum: true, key: 1, seq: 2 }] }],
  ['NULL', LINKTYPE.null, { link: 'null', wscale: 3 }],
  ['IPoIB', LINKTYPE.ipoib, { link: 'ipoib', sackOk: true }],
];

test.each(FRAMES)('every truncation of %s', (_name, linkType, spec) => {
  const frame = tcpFrame({ ...spec, payload: PAYLOAD });
  const headersEnd = frame.length - PAYLOAD;
  for (let len = 0; len <= frame.length; len++) {
    const reason = decodePacket(linkType, frame.subarray(0, len), frame.length, out);
    if (len < headersEnd) expect([len, reason]).toEqual([len, expect.any(String)]);
    else expect([len, reason, out.payloadLen]).toEqual([len, null, PAYLOAD]);
  }
});

const LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 242, 276, 999];

/** A decoded segment must point inside the buffer and have sane lengths. */
function checkConsistent(data: Buffer): void {
  expect(out.bytes).toBe(data);
  expect(out.srcOffset + out.addrLen).toBeLessThanOrEqual(data.length);
  expect(out.dstOffset + out.addrLen).toBeLessThanOrEqual(data.length);
  expect(out.payloadLen).toBeGreaterThanOrEqual(0);
  expect(out.seq >= 0 && out.seq <= 0xffffffff && out.ack >= 0 && out.ack <= 0xffffffff).toBe(true);
}

test('random bytes never throw', () => {
  const random = prng(0x7cb1);
  const data = Buffer.alloc(160);
  for (let i = 0; i < 20000; i++) {
    const len = Math.floor(random() * data.length);
    for (let j = 0; j < len; j++) data[j] = Math.floor(random() * 256);
    // Bias the first bytes towards values that get past the link layer.
    if (random() < 0.5) data[0] = 0x45;
    const frame = data.subarray(0, len);
    const linkType = LINK_TYPES[i % LINK_TYPES.length];
    const reason = decodePacket(linkType, frame, len + Math.floor(random() * 3) * 100, out);
    if (reason === null) checkConsistent(frame);
  }
});

test('valid frames with random bytes changed never throw', () => {
  const random = prng(42);
  for (const [, linkType, spec] of FRAMES) {
    const original = tcpFrame({ ...spec, payload: PAYLOAD });
    for (let i = 0; i < 3000; i++) {
      const frame = Buffer.from(original);
      const changes = 1 + Math.floor(random() * 4);
      for (let c = 0; c < changes; c++) frame[Math.floor(random() * frame.length)] = Math.floor(random() * 256);
      const cut = frame.subarray(0, Math.floor(random() * (frame.length + 1)));
      if (decodePacket(linkType, cut, frame.length, out) === null) checkConsistent(cut);
    }
  }
});
