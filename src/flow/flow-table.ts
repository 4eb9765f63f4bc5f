import { TCP_ACK, TCP_SYN, type TcpPacket } from '../decode/tcp-packet';
import { Connection } from '../tcp/connection';
import { hashTuple, sameAddress } from './endpoint-key';

/** A 4-tuple and the latest connection (incarnation) on it. Side 0 of `current` may be either end. */
interface FlowEntry {
  addr0: Buffer;
  port0: number;
  addr1: Buffer;
  port1: number;
  current: Connection;
}

/** Finds the connection a segment belongs to, starting a new incarnation where a SYN says so.
 * Ids are given in order of first packet, as Wireshark numbers tcp.stream. */
export class FlowTable {
  private readonly buckets = new Map<number, FlowEntry[]>();
  private nextId = 0;
  /** Packets that would have started a connection beyond the budget, and the first of them. */
  overBudgetPackets = 0;
  firstOverBudgetFrame = 0;
  /** Set by `lookup`: which side of the returned connection sent the segment. */
  from: 0 | 1 = 0;
  /** Connections created so far, in id order. */
  readonly connections: Connection[] = [];

  /** At most `maxConnections` connections are tracked, so a flood cannot exhaust memory. */
  constructor(readonly maxConnections = Infinity) {}

  get size(): number {
    return this.nextId;
  }

  /** The connection of this segment, or null when it would be a new one beyond the budget. */
  lookup(pkt: TcpPacket, at: number, frame: number): Connection | null {
    const hash = hashTuple(pkt.bytes, pkt.srcOffset, pkt.dstOffset, pkt.addrLen, pkt.srcPort, pkt.dstPort);
    const bucket = this.buckets.get(hash);
    for (let i = 0; bucket !== undefined && i < bucket.length; i++) {
      const entry = bucket[i];
      const from = sideOf(entry, pkt);
      if (from < 0) continue;
      if (startsNewIncarnation(entry.current, pkt, from as 0 | 1)) {
        if (this.full(frame)) return null;
        entry.addr0 = copyAddr(pkt, pkt.srcOffset);
        entry.port0 = pkt.srcPort;
        entry.addr1 = copyAddr(pkt, pkt.dstOffset);
        entry.port1 = pkt.dstPort;
        entry.current = this.create(entry, at, frame, entry.current.id, pkt.flags);
        this.from = 0;
      } else {
        this.from = from as 0 | 1;
      }
      return entry.current;
    }
    if (this.full(frame)) return null;
    const addr0 = copyAddr(pkt, pkt.srcOffset);
    const addr1 = copyAddr(pkt, pkt.dstOffset);
    const entry = { addr0, port0: pkt.srcPort, addr1, port1: pkt.dstPort } as FlowEntry;
    entry.current = this.create(entry, at, frame, null, pkt.flags);
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

  private create(entry: FlowEntry, at: number, frame: number, previousId: number | null, flags: number): Connection {
    const conn = new Connection(this.nextId++, entry.addr0, entry.port0, entry.addr1, entry.port1, at, frame, previousId, flags);
    this.connections.push(conn);
    return conn;
  }
}

/** 0 when the packet goes side 0 → side 1, 1 for the reverse, −1 when it is another 4-tuple. */
function sideOf(e: FlowEntry, pkt: TcpPacket): number {
  const { bytes, srcOffset, dstOffset, addrLen } = pkt;
  if (pkt.srcPort === e.port0 && pkt.dstPort === e.port1
    && sameAddress(e.addr0, bytes, srcOffset, addrLen) && sameAddress(e.addr1, bytes, dstOffset, addrLen)) return 0;
  if (pkt.srcPort === e.port1 && pkt.dstPort === e.port0
    && sameAddress(e.addr1, bytes, srcOffset, addrLen) && sameAddress(e.addr0, bytes, dstOffset, addrLen)) return 1;
  return -1;
}

/** Wireshark's rule for tcp.stream (4.0): only a pure SYN whose sequence number differs from the
 * sender's base starts a new conversation. A SYN with the same ISN, even after a RST, is the same
 * connection attempt retransmitted (RFC 5961 challenge-ACK recovery looks exactly like that). */
function startsNewIncarnation(conn: Connection, pkt: TcpPacket, from: 0 | 1): boolean {
  if ((pkt.flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return false;
  const side = conn.sides[from];
  return side.baseSeqSet && pkt.seq !== side.baseSeq;
}

function copyAddr(pkt: TcpPacket, offset: number): Buffer {
  return Buffer.from(pkt.bytes.subarray(offset, offset + pkt.addrLen));
}
