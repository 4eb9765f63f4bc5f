import { TCP_ACK, TCP_SYN, type TcpPacket } from '../decode/tcp-packet';
import { hashTuple, sameAddress } from './endpoint-key';
import { seqAdd } from './seq';

/** Makes the connection object for a new incarnation; side 0 is the source of its first packet. */
export type ConnectionFactory<C> = (
  id: number, addr0: Buffer, port0: number, addr1: Buffer, port1: number,
  at: number, frame: number, previousId: number | null, firstFlags: number,
) => C;

/** A 4-tuple, the latest connection (incarnation) on it, and each side's sequence base in it. */
interface FlowEntry<C> {
  addr0: Buffer;
  port0: number;
  addr1: Buffer;
  port1: number;
  current: C;
  currentId: number;
  /** The SYN's seq, or seq − 1 of a side's first segment (Wireshark's base_seq); NaN until seen. */
  base0: number;
  base1: number;
}

/** Finds the connection a segment belongs to, starting a new incarnation where a SYN says so.
 * Ids are given in order of first packet, as Wireshark numbers tcp.stream. Knows nothing of what a
 * connection holds: `create` makes them. */
export class FlowTable<C> {
  private readonly buckets = new Map<number, FlowEntry<C>[]>();
  private nextId = 0;
  /** Packets that would have started a connection beyond the budget, and the first of them. */
  overBudgetPackets = 0;
  firstOverBudgetFrame = 0;
  /** Set by `lookup`: which side of the returned connection sent the segment. */
  from: 0 | 1 = 0;
  /** Connections created so far, in id order. */
  readonly connections: C[] = [];

  /** At most `maxConnections` connections are tracked, so a flood cannot exhaust memory. */
  constructor(private readonly create: ConnectionFactory<C>, readonly maxConnections = Infinity) {}

  get size(): number {
    return this.nextId;
  }

  /** The connection of this segment, or null when it would be a new one beyond the budget. */
  lookup(pkt: TcpPacket, at: number, frame: number): C | null {
    const hash = hashTuple(pkt.bytes, pkt.srcOffset, pkt.dstOffset, pkt.addrLen, pkt.srcPort, pkt.dstPort);
    const bucket = this.buckets.get(hash);
    for (let i = 0; bucket !== undefined && i < bucket.length; i++) {
      const entry = bucket[i];
      const side = sideOf(entry, pkt);
      if (side === -1) continue;
      const from: 0 | 1 = side;
      if (startsNewIncarnation(entry, pkt, from)) {
        if (this.full(frame)) return null;
        entry.addr0 = copyAddr(pkt, pkt.srcOffset);
        entry.port0 = pkt.srcPort;
        entry.addr1 = copyAddr(pkt, pkt.dstOffset);
        entry.port1 = pkt.dstPort;
        entry.base0 = entry.base1 = NaN;
        this.begin(entry, at, frame, entry.currentId, pkt.flags);
        this.from = 0;
      } else {
        this.from = from;
      }
      noteBase(entry, this.from, pkt);
      return entry.current;
    }
    if (this.full(frame)) return null;
    const entry = {
      addr0: copyAddr(pkt, pkt.srcOffset), port0: pkt.srcPort, addr1: copyAddr(pkt, pkt.dstOffset), port1: pkt.dstPort,
      base0: NaN, base1: NaN,
    } as FlowEntry<C>;
    this.begin(entry, at, frame, null, pkt.flags);
    noteBase(entry, 0, pkt);
    // Only now: a flood beyond the budget must not grow the table with empty buckets.
    if (bucket) bucket.push(entry);
    else this.buckets.set(hash, [entry]);
    this.from = 0;
    return entry.current;
  }

  private full(frame: number): boolean {
    if (this.nextId < this.maxConnections) return false;
    if (this.overBudgetPackets++ === 0) this.firstOverBudgetFrame = frame;
    return true;
  }

  private begin(entry: FlowEntry<C>, at: number, frame: number, previousId: number | null, flags: number): void {
    const id = this.nextId++;
    entry.current = this.create(id, entry.addr0, entry.port0, entry.addr1, entry.port1, at, frame, previousId, flags);
    entry.currentId = id;
    this.connections.push(entry.current);
  }
}

/** 0 when the packet goes side 0 → side 1, 1 for the reverse, −1 when it is another 4-tuple. */
function sideOf<C>(e: FlowEntry<C>, pkt: TcpPacket): -1 | 0 | 1 {
  const { bytes, srcOffset, dstOffset, addrLen } = pkt;
  if (pkt.srcPort === e.port0 && pkt.dstPort === e.port1
    && sameAddress(e.addr0, bytes, srcOffset, addrLen) && sameAddress(e.addr1, bytes, dstOffset, addrLen)) return 0;
  if (pkt.srcPort === e.port1 && pkt.dstPort === e.port0
    && sameAddress(e.addr1, bytes, srcOffset, addrLen) && sameAddress(e.addr0, bytes, dstOffset, addrLen)) return 1;
  return -1;
}

function noteBase<C>(e: FlowEntry<C>, from: 0 | 1, pkt: TcpPacket): void {
  if (!Number.isNaN(from === 0 ? e.base0 : e.base1)) return;
  const base = pkt.flags & TCP_SYN ? pkt.seq : seqAdd(pkt.seq, -1);
  if (from === 0) e.base0 = base;
  else e.base1 = base;
}

/** Wireshark's rule for tcp.stream (4.0): only a pure SYN whose sequence number differs from the
 * sender's base starts a new conversation. A SYN with the same ISN, even after a RST, is the same
 * connection attempt retransmitted (RFC 5961 challenge-ACK recovery looks exactly like that). */
function startsNewIncarnation<C>(e: FlowEntry<C>, pkt: TcpPacket, from: 0 | 1): boolean {
  if ((pkt.flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return false;
  const base = from === 0 ? e.base0 : e.base1;
  return !Number.isNaN(base) && pkt.seq !== base;
}

function copyAddr(pkt: TcpPacket, offset: number): Buffer {
  return Buffer.from(pkt.bytes.subarray(offset, offset + pkt.addrLen));
}
