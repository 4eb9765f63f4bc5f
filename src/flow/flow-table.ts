import { TCP_ACK, TCP_SYN, type TcpPacket } from '../decode/tcp-packet';
import { addressBytes, hashTuple, sameAddress, type AddressBytes } from './endpoint-key';
import { seqAdd } from './seq';

/** Makes the connection object for a new incarnation; side 0 is the source of its first packet. */
export type ConnectionFactory<C> = (
  id: number, addr0: AddressBytes, port0: number, addr1: AddressBytes, port1: number,
  at: number, frame: number, previousId: number | null, firstFlags: number,
) => C;

/** Seconds of capture time without a packet after which a connection may be forgotten (Infinity: kept
 * until the capture ends). Asked after each of its packets, so it can change with the connection's state. */
export type RetireAfter<C> = (conn: C) => number;

/** Where connections go once the table forgets them: superseded by a new incarnation, silent for their
 * RetireAfter, or at the end of the capture. Each connection is retired exactly once. */
export type Retire<C> = (conn: C) => void;

/** A 4-tuple, the latest connection (incarnation) on it, and each side's sequence base in it. */
interface FlowEntry<C> {
  hash: number;
  /** Side 0 is the source of the incarnation's first packet. */
  addr0: AddressBytes;
  port0: number;
  addr1: AddressBytes;
  port1: number;
  current: C;
  currentId: number;
  /** The SYN's seq, or seq − 1 of a side's first segment (Wireshark's base_seq); NaN until seen. */
  base0: number;
  base1: number;
  /** Capture time of its latest packet. */
  lastAt: number;
  /** Neighbours in its retirement queue (oldest first); null at the ends or outside a queue. */
  older: FlowEntry<C> | null;
  newer: FlowEntry<C> | null;
  queue: RetireQueue<C> | null;
}

/** Entries with the same RetireAfter, in order of their latest packet: only the oldest need checking. */
interface RetireQueue<C> {
  after: number;
  oldest: FlowEntry<C> | null;
  newest: FlowEntry<C> | null;
}

/** Finds the connection a segment belongs to, starting a new incarnation where a SYN says so.
 * Ids are given in order of first packet, as Wireshark numbers tcp.stream. Knows nothing of what a
 * connection holds: `create` makes them, `retireAfter` says when one may be forgotten.
 *
 * Like gopacket's reassembly flushing by age, connections that are over are forgotten after a silence in
 * capture time, so the table holds what is open at once, not everything the capture ever held. */
export class FlowTable<C> {
  private readonly buckets = new Map<number, FlowEntry<C>[]>();
  private readonly queues: RetireQueue<C>[] = [];
  private nextId = 0;
  /** Capture time that retirement has reached: the latest time two consecutive packets agree on (the
   * smaller of the two), so one corrupt timestamp far in the future cannot forget everything at once.
   * Clocks can step back; retirement never does. */
  private now = -Infinity;
  private previousAt = -Infinity;
  /** The entry of the segment `lookup` returned last, for `settle`. */
  private last: FlowEntry<C> | null = null;
  /** Packets that would have started a connection beyond the budget, and the first of them. */
  overBudgetPackets = 0;
  firstOverBudgetFrame = 0;
  /** Set by `lookup`: which side of the returned connection sent the segment. */
  from: 0 | 1 = 0;
  /** Without a `retire` callback: every connection created, in id order (retired ones included). */
  readonly connections: C[] = [];

  /** At most `maxConnections` connections are created, so a flood cannot exhaust memory. */
  constructor(
    private readonly create: ConnectionFactory<C>,
    readonly maxConnections = Infinity,
    private readonly retireAfter: RetireAfter<C> = () => Infinity,
    private readonly retire: Retire<C> | null = null,
  ) {}

  get size(): number {
    return this.nextId;
  }

  /** The connection of this segment, or null when it would be a new one beyond the budget. */
  lookup(pkt: TcpPacket, at: number, frame: number): C | null {
    this.last = null;
    // Time moved on: whatever fell silent long enough is forgotten before this segment looks for it.
    const agreed = at < this.previousAt ? at : this.previousAt;
    this.previousAt = at;
    if (agreed > this.now) this.expire(agreed);
    const hash = hashTuple(pkt.bytes, pkt.srcOffset, pkt.dstOffset, pkt.addrLen, pkt.srcPort, pkt.dstPort);
    const bucket = this.buckets.get(hash);
    for (let i = 0; bucket !== undefined && i < bucket.length; i++) {
      const entry = bucket[i];
      const side = sideOf(entry, pkt);
      if (side === -1) continue;
      const from: 0 | 1 = side;
      if (startsNewIncarnation(entry, pkt, from)) {
        if (this.full(frame)) return null;
        // No later packet can reach the old incarnation: it is over for good.
        this.retire?.(entry.current);
        entry.addr0 = addressBytes(pkt.bytes, pkt.srcOffset, pkt.addrLen);
        entry.port0 = pkt.srcPort;
        entry.addr1 = addressBytes(pkt.bytes, pkt.dstOffset, pkt.addrLen);
        entry.port1 = pkt.dstPort;
        entry.base0 = entry.base1 = NaN;
        entry.lastAt = at;
        const id = this.nextId;
        entry.current = this.begin(entry.currentId, entry.addr0, entry.port0, entry.addr1, entry.port1, at, frame, pkt.flags);
        entry.currentId = id;
        this.from = 0;
      } else {
        this.from = from;
      }
      noteBase(entry, this.from, pkt);
      this.last = entry;
      return entry.current;
    }
    if (this.full(frame)) return null;
    const addr0 = addressBytes(pkt.bytes, pkt.srcOffset, pkt.addrLen);
    const addr1 = addressBytes(pkt.bytes, pkt.dstOffset, pkt.addrLen);
    const id = this.nextId;
    const current = this.begin(null, addr0, pkt.srcPort, addr1, pkt.dstPort, at, frame, pkt.flags);
    const entry: FlowEntry<C> = {
      hash, addr0, port0: pkt.srcPort, addr1, port1: pkt.dstPort, current, currentId: id,
      base0: NaN, base1: NaN, lastAt: at, older: null, newer: null, queue: null,
    };
    noteBase(entry, 0, pkt);
    // Only now: a flood beyond the budget must not grow the table with empty buckets.
    if (bucket) bucket.push(entry);
    else this.buckets.set(hash, [entry]);
    this.from = 0;
    this.last = entry;
    return entry.current;
  }

  /** After the connection `lookup` returned has taken its segment (at capture time `at`): files it by
   * its new RetireAfter. */
  settle(at: number): void {
    const e = this.last;
    if (e === null) return;
    if (at > e.lastAt) e.lastAt = at;
    const after = this.retireAfter(e.current);
    if (e.queue !== null && (e.queue.after !== after || e.queue.newest !== e)) unlink(e);
    if (e.queue === null && after !== Infinity) append(this.queueFor(after), e);
  }

  /** Retires every connection whose silence has run out by capture time `now`. */
  private expire(now: number): void {
    this.now = now;
    for (const q of this.queues) {
      while (q.oldest !== null && q.oldest.lastAt + q.after <= now) this.forget(q.oldest);
    }
  }

  /** The capture ended: retires every connection still held, in id order, and empties the table. */
  retireAll(): void {
    const held: (FlowEntry<C> | null)[] = [];
    for (const bucket of this.buckets.values()) {
      for (const e of bucket) {
        // Unlinked first: an entry a queue neighbour still points to could not be freed once retired.
        e.older = e.newer = null;
        e.queue = null;
        held.push(e);
      }
    }
    held.sort((a, b) => (a?.currentId ?? 0) - (b?.currentId ?? 0));
    this.buckets.clear();
    this.queues.length = 0;
    this.last = null;
    // Each let go once retired: half a million connections open at the end need not all stay in
    // memory until the last is done.
    for (let i = 0; i < held.length; i++) {
      const e = held[i];
      held[i] = null;
      if (e !== null) this.retire?.(e.current);
    }
  }

  private forget(e: FlowEntry<C>): void {
    if (e.queue !== null) unlink(e);
    const bucket = this.buckets.get(e.hash);
    if (bucket !== undefined) {
      const i = bucket.indexOf(e);
      if (i >= 0) bucket.splice(i, 1);
      if (bucket.length === 0) this.buckets.delete(e.hash);
    }
    if (this.last === e) this.last = null;
    this.retire?.(e.current);
  }

  private queueFor(after: number): RetireQueue<C> {
    for (const q of this.queues) if (q.after === after) return q;
    const q: RetireQueue<C> = { after, oldest: null, newest: null };
    this.queues.push(q);
    return q;
  }

  private full(frame: number): boolean {
    if (this.nextId < this.maxConnections) return false;
    if (this.overBudgetPackets++ === 0) this.firstOverBudgetFrame = frame;
    return true;
  }

  /** Makes the next connection (side 0 is its first packet's source). */
  private begin(
    previousId: number | null, addr0: AddressBytes, port0: number, addr1: AddressBytes, port1: number, at: number, frame: number, flags: number,
  ): C {
    const conn = this.create(this.nextId++, addr0, port0, addr1, port1, at, frame, previousId, flags);
    if (this.retire === null) this.connections.push(conn);
    return conn;
  }
}

function append<C>(q: RetireQueue<C>, e: FlowEntry<C>): void {
  e.queue = q;
  e.older = q.newest;
  e.newer = null;
  if (q.newest !== null) q.newest.newer = e;
  else q.oldest = e;
  q.newest = e;
}

function unlink<C>(e: FlowEntry<C>): void {
  const q = e.queue;
  if (q === null) return;
  if (e.older !== null) e.older.newer = e.newer;
  else q.oldest = e.newer;
  if (e.newer !== null) e.newer.older = e.older;
  else q.newest = e.older;
  e.older = e.newer = null;
  e.queue = null;
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
