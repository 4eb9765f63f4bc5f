/** FlowTable's hash buckets: every open connection is found again after the buckets grow, one forgotten
 * from the middle of a chain leaves the others findable, and the hash spreads its low bits (the buckets). */
import { newTcpPacket, TCP_ACK, TCP_SYN, type TcpPacket } from '../../src/decode/tcp-packet';
import { hashTuple } from '../../src/flow/endpoint-key';
import { FlowTable } from '../../src/flow/flow-table';

interface Conn {
  id: number;
  packets: number;
}

/** A segment from 10.<a>.<b>.<c>:port to 192.0.2.1:80 (or back, `reply`). */
function segment(pkt: TcpPacket, client: number, port: number, flags: number, reply = false): TcpPacket {
  const bytes = Buffer.from([10, (client >>> 16) & 0xff, (client >>> 8) & 0xff, client & 0xff, 192, 0, 2, 1]);
  pkt.bytes = bytes;
  pkt.srcOffset = reply ? 4 : 0;
  pkt.dstOffset = reply ? 0 : 4;
  pkt.srcPort = reply ? 80 : port;
  pkt.dstPort = reply ? port : 80;
  pkt.flags = flags;
  pkt.seq = 1000 + client;
  return pkt;
}

function table(retired: number[], retireAfter = Infinity): FlowTable<Conn> {
  return new FlowTable<Conn>((id) => ({ id, packets: 0 }), Infinity, () => retireAfter, (c) => { retired.push(c.id); });
}

describe('flow table buckets', () => {
  it('finds each of 20,000 open connections again, from either side, after the buckets doubled several times', () => {
    const retired: number[] = [];
    const flows = table(retired);
    const pkt = newTcpPacket();
    const n = 20_000;
    const wrong: number[] = [];
    for (let i = 0; i < n; i++) {
      if (flows.lookup(segment(pkt, i, 1024 + (i % 50_000), TCP_SYN), 1 + i * 1e-6, i + 1)?.id !== i) wrong.push(i);
    }
    for (let i = n - 1; i >= 0; i--) {
      const conn = flows.lookup(segment(pkt, i, 1024 + (i % 50_000), TCP_SYN | TCP_ACK, true), 2, n + i + 1);
      if (conn?.id !== i || flows.from !== 1) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect(flows.size).toBe(n);
    flows.retireAll();
    expect(retired).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('forgets connections in any order, chains included, and still finds the rest', () => {
    const retired: number[] = [];
    const flows = table(retired, 10);
    const pkt = newTcpPacket();
    // 6,000 connections at t=0 (more than the first 4,096 buckets), then every third one refreshed at t=8.
    for (let i = 0; i < 6_000; i++) {
      flows.lookup(segment(pkt, i, 2000, TCP_SYN), 0, i + 1);
      flows.settle(0);
    }
    for (let i = 0; i < 6_000; i += 3) {
      flows.lookup(segment(pkt, i, 2000, TCP_ACK), 8, 10_000 + i);
      flows.settle(8);
    }
    // At t=11 (two packets agree on it) the silent two thirds are forgotten; the refreshed third is not.
    const wrong: number[] = [];
    for (let i = 0; i < 6_000; i += 3) {
      if (flows.lookup(segment(pkt, i, 2000, TCP_ACK), 11, 20_000 + i)?.id !== i) wrong.push(i);
      flows.settle(11);
    }
    expect(wrong).toEqual([]);
    expect(retired.length).toBe(4_000);
    expect(retired.every((id) => id % 3 !== 0)).toBe(true);
    expect(flows.size).toBe(6_000);
    // A silent one's 4-tuple is a new connection now.
    expect(flows.lookup(segment(pkt, 1, 2000, TCP_ACK), 11, 30_000)?.id).toBe(6_000);
  });

  it('spreads typical tuples over the low bits the buckets use as evenly as random numbers would', () => {
    // 100,000 clients of four listeners, as bench (a) makes them: ports in sequence, addresses changing
    // every 16,384. Random hashes would leave about 69,960 of 131,072 buckets used, at most 8 in one;
    // FNV-1a's halves mixed by sum and product alone used 56,430, up to 15 in one.
    const bytes = Buffer.alloc(8);
    const counts = new Uint32Array(1 << 17);
    for (let i = 0; i < 100_000; i++) {
      bytes.writeUInt32BE(0x0a000001 | ((i >>> 14) << 8), 0);
      bytes.writeUInt32BE(0xc0000201 + (i & 3), 4);
      counts[hashTuple(bytes, 0, 4, 4, 1024 + (i & 0x3fff), 80) & ((1 << 17) - 1)]++;
    }
    let used = 0;
    let most = 0;
    for (const n of counts) {
      if (n > 0) used++;
      if (n > most) most = n;
    }
    expect(used).toBeGreaterThan(68_000);
    expect(most).toBeLessThanOrEqual(10);
  });
});
