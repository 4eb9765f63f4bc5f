import { TCP_ACK, TCP_SYN, type TcpPacket } from '../decode/tcp-packet';
import { hashTuple, sameAddress, type AddressBytes } from './endpoint-key';
import { Float64Pages, Int32Pages, REPLAY_PAGE_BITS, Uint32Pages } from './id-pages';
import { KnownAddresses } from './known-addresses';
import { seqAdd } from './seq';
import { Slots } from './slots';

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

// An entry's numbers in FlowTable's columns, by type. Capture time of its latest packet, its current
// incarnation's id, and each side's sequence base in it (the SYN's seq, or seq − 1 of a side's first
// segment: Wireshark's base_seq; NaN until seen):
const LAST_AT = 0;
const CURRENT_ID = 1;
const BASE0 = 2; // side 1's is BASE0 + 1
const TIMES = 4;
// The 4-tuple's hash, and both ports (side 0's in the low half):
const HASH = 0;
const PORTS = 1;
const WORDS = 2;
// Other entries (-1: none): its neighbours in its retirement queue (oldest first), the next entry with the
// same hash; and the index of its queue (-1: none).
const OLDER = 0;
const NEWER = 1;
const NEXT_IN_BUCKET = 2;
const QUEUE = 3;
const LINKS = 4;

/** Distinct addresses of one family kept for sharing (see KnownAddresses): a scan of random addresses empties it. */
const ADDRESSES_KEPT = 65_536;
/** Hash buckets to start with; doubled whenever there are more entries than buckets. */
const FIRST_BUCKETS = 4_096;

/** Entries with the same RetireAfter, in order of their latest packet: only the oldest need checking. */
interface RetireQueue {
  after: number;
  /** Entries, -1 when the queue is empty. */
  oldest: number;
  newest: number;
}

/** Finds the connection a segment belongs to, starting a new incarnation where a SYN says so.
 * Ids are given in order of first packet, as Wireshark numbers tcp.stream. Knows nothing of what a
 * connection holds: `create` makes them, `retireAfter` says when one may be forgotten.
 *
 * Like gopacket's reassembly flushing by age, connections that are over are forgotten after a silence in
 * capture time, so the table holds what is open at once, not everything the capture ever held.
 *
 * An entry is a 4-tuple and the latest connection (incarnation) on it. Entries are slots in typed columns,
 * chained by hash, rather than objects: an object per entry, its boxed numbers and its bucket's array came
 * to about 240 bytes, and half a million connections can be open at once. */
export class FlowTable<C> {
  private readonly times = new Float64Pages(TIMES, REPLAY_PAGE_BITS);
  private readonly words = new Uint32Pages(WORDS, REPLAY_PAGE_BITS);
  private readonly links = new Int32Pages(LINKS, REPLAY_PAGE_BITS);
  private readonly slots = new Slots([[this.times, NaN], [this.words, 0], [this.links, -1]]);
  /** By entry: side 0's and side 1's address, and the current connection (null once retired). */
  private readonly addr0: AddressBytes[] = [];
  private readonly addr1: AddressBytes[] = [];
  private readonly current: (C | null)[] = [];
  private readonly addresses = new KnownAddresses(ADDRESSES_KEPT, (address) => address);
  /** The first entry of each bucket (-1: none), a bucket being the low bits of the hash. Typed, not a
   * Map of hashes: the Map's lookups took 4% of bench (a)'s time. */
  private buckets = new Int32Array(FIRST_BUCKETS).fill(-1);
  private entries = 0;
  private readonly queues: RetireQueue[] = [];
  private nextId = 0;
  /** Capture time that retirement has reached: the latest time two consecutive packets agree on (the
   * smaller of the two), so one corrupt timestamp far in the future cannot forget everything at once.
   * Clocks can step back; retirement never does. */
  private now = -Infinity;
  private previousAt = -Infinity;
  /** The entry of the segment `lookup` returned last, for `settle` (-1: none). */
  private last = -1;
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
    this.last = -1;
    // Time moved on: whatever fell silent long enough is forgotten before this segment looks for it.
    const agreed = at < this.previousAt ? at : this.previousAt;
    this.previousAt = at;
    if (agreed > this.now) this.expire(agreed);
    const hash = hashTuple(pkt.bytes, pkt.srcOffset, pkt.dstOffset, pkt.addrLen, pkt.srcPort, pkt.dstPort);
    const head = this.buckets[hash & (this.buckets.length - 1)];
    for (let e = head; e >= 0; e = this.links.get(e, NEXT_IN_BUCKET)) {
      const side = this.words.get(e, HASH) === hash ? this.sideOf(e, pkt) : -1;
      if (side === -1) continue;
      if (this.startsNewIncarnation(e, pkt, side)) {
        if (this.full(frame)) return null;
        // No later packet can reach the old incarnation: it is over for good.
        this.retire?.(this.current[e] as C);
        const previousId = this.times.get(e, CURRENT_ID);
        this.times.fill(e, NaN);
        this.current[e] = this.begin(e, previousId, pkt, at, frame);
      } else {
        this.from = side;
      }
      this.noteBase(e, this.from, pkt);
      this.last = e;
      return this.current[e] as C;
    }
    if (this.full(frame)) return null;
    // Only now: a flood beyond the budget must not grow the table.
    const e = this.slots.take();
    this.words.set(e, HASH, hash);
    this.fileInBucket(e);
    this.current[e] = this.begin(e, null, pkt, at, frame);
    this.noteBase(e, 0, pkt);
    this.last = e;
    return this.current[e] as C;
  }

  /** After the connection `lookup` returned has taken its segment (at capture time `at`): files it by
   * its new RetireAfter. */
  settle(at: number): void {
    const e = this.last;
    if (e < 0) return;
    if (at > this.times.get(e, LAST_AT)) this.times.set(e, LAST_AT, at);
    const after = this.retireAfter(this.current[e] as C);
    const q = this.links.get(e, QUEUE);
    if (q >= 0 && (this.queues[q].after !== after || this.queues[q].newest !== e)) this.unlink(e);
    if (this.links.get(e, QUEUE) < 0 && after !== Infinity) this.append(this.queueFor(after), e);
  }

  /** Retires every connection whose silence has run out by capture time `now`. */
  private expire(now: number): void {
    this.now = now;
    for (const q of this.queues) {
      while (q.oldest >= 0 && this.times.get(q.oldest, LAST_AT) + q.after <= now) this.forget(q.oldest);
    }
  }

  /** The capture ended: retires every connection still held, in id order, and empties the table. */
  retireAll(): void {
    const held = new Int32Array(this.slots.taken);
    let n = 0;
    for (const head of this.buckets) {
      for (let e = head; e >= 0; e = this.links.get(e, NEXT_IN_BUCKET)) held[n++] = e;
    }
    held.sort((a, b) => this.times.get(a, CURRENT_ID) - this.times.get(b, CURRENT_ID));
    this.buckets.fill(-1);
    this.entries = 0;
    this.queues.length = 0;
    this.last = -1;
    // Each let go once retired: half a million connections open at the end need not all stay in
    // memory until the last is done.
    for (const e of held) {
      const conn = this.current[e] as C;
      this.current[e] = null;
      this.slots.give(e);
      this.retire?.(conn);
    }
  }

  private forget(e: number): void {
    this.unlink(e);
    const bucket = this.words.get(e, HASH) & (this.buckets.length - 1);
    const next = this.links.get(e, NEXT_IN_BUCKET);
    if (this.buckets[bucket] === e) {
      this.buckets[bucket] = next;
    } else {
      let p = this.buckets[bucket];
      while (p >= 0 && this.links.get(p, NEXT_IN_BUCKET) !== e) p = this.links.get(p, NEXT_IN_BUCKET);
      if (p >= 0) this.links.set(p, NEXT_IN_BUCKET, next);
    }
    this.entries--;
    if (this.last === e) this.last = -1;
    const conn = this.current[e] as C;
    this.current[e] = null;
    this.slots.give(e);
    this.retire?.(conn);
  }

  /** Puts entry `e` (its HASH set) at the head of its bucket, doubling the buckets first when there
   * would be more entries than buckets. */
  private fileInBucket(e: number): void {
    if (++this.entries > this.buckets.length) this.rehash(this.buckets.length * 2);
    const bucket = this.words.get(e, HASH) & (this.buckets.length - 1);
    this.links.set(e, NEXT_IN_BUCKET, this.buckets[bucket]);
    this.buckets[bucket] = e;
  }

  private rehash(size: number): void {
    const old = this.buckets;
    this.buckets = new Int32Array(size).fill(-1);
    for (const head of old) {
      for (let e = head, next; e >= 0; e = next) {
        next = this.links.get(e, NEXT_IN_BUCKET);
        const bucket = this.words.get(e, HASH) & (size - 1);
        this.links.set(e, NEXT_IN_BUCKET, this.buckets[bucket]);
        this.buckets[bucket] = e;
      }
    }
  }

  private queueFor(after: number): number {
    const found = this.queues.findIndex((q) => q.after === after);
    if (found >= 0) return found;
    this.queues.push({ after, oldest: -1, newest: -1 });
    return this.queues.length - 1;
  }

  private append(q: number, e: number): void {
    const queue = this.queues[q];
    this.links.set(e, QUEUE, q);
    this.links.set(e, OLDER, queue.newest);
    this.links.set(e, NEWER, -1);
    if (queue.newest >= 0) this.links.set(queue.newest, NEWER, e);
    else queue.oldest = e;
    queue.newest = e;
  }

  private unlink(e: number): void {
    const q = this.links.get(e, QUEUE);
    if (q < 0) return;
    const queue = this.queues[q];
    const older = this.links.get(e, OLDER);
    const newer = this.links.get(e, NEWER);
    if (older >= 0) this.links.set(older, NEWER, newer);
    else queue.oldest = newer;
    if (newer >= 0) this.links.set(newer, OLDER, older);
    else queue.newest = older;
    this.links.set(e, OLDER, -1);
    this.links.set(e, NEWER, -1);
    this.links.set(e, QUEUE, -1);
  }

  private full(frame: number): boolean {
    if (this.nextId < this.maxConnections) return false;
    if (this.overBudgetPackets++ === 0) this.firstOverBudgetFrame = frame;
    return true;
  }

  /** Makes the next connection in entry `e`, from the packet `pkt` that starts it (side 0 is its source). */
  private begin(e: number, previousId: number | null, pkt: TcpPacket, at: number, frame: number): C {
    const addr0 = this.addresses.at(pkt.bytes, pkt.srcOffset, pkt.addrLen);
    const addr1 = this.addresses.at(pkt.bytes, pkt.dstOffset, pkt.addrLen);
    this.addr0[e] = addr0;
    this.addr1[e] = addr1;
    // Ports are 16 bits: both fit in one word.
    this.words.set(e, PORTS, pkt.srcPort | (pkt.dstPort << 16));
    this.times.set(e, LAST_AT, at);
    const id = this.nextId++;
    this.times.set(e, CURRENT_ID, id);
    this.from = 0;
    const conn = this.create(id, addr0, pkt.srcPort, addr1, pkt.dstPort, at, frame, previousId, pkt.flags);
    if (this.retire === null) this.connections.push(conn);
    return conn;
  }

  /** 0 when the packet goes side 0 → side 1 of entry `e`, 1 for the reverse, −1 when it is another 4-tuple. */
  private sideOf(e: number, pkt: TcpPacket): -1 | 0 | 1 {
    const { bytes, srcOffset, dstOffset, addrLen } = pkt;
    const ports = this.words.get(e, PORTS);
    const port0 = ports & 0xffff;
    const port1 = ports >>> 16;
    if (pkt.srcPort === port0 && pkt.dstPort === port1
      && sameAddress(this.addr0[e], bytes, srcOffset, addrLen) && sameAddress(this.addr1[e], bytes, dstOffset, addrLen)) return 0;
    if (pkt.srcPort === port1 && pkt.dstPort === port0
      && sameAddress(this.addr1[e], bytes, srcOffset, addrLen) && sameAddress(this.addr0[e], bytes, dstOffset, addrLen)) return 1;
    return -1;
  }

  private noteBase(e: number, from: 0 | 1, pkt: TcpPacket): void {
    if (!Number.isNaN(this.times.get(e, BASE0 + from))) return;
    this.times.set(e, BASE0 + from, pkt.flags & TCP_SYN ? pkt.seq : seqAdd(pkt.seq, -1));
  }

  /** Wireshark's rule for tcp.stream (4.0): only a pure SYN whose sequence number differs from the
   * sender's base starts a new conversation. A SYN with the same ISN, even after a RST, is the same
   * connection attempt retransmitted (RFC 5961 challenge-ACK recovery looks exactly like that). */
  private startsNewIncarnation(e: number, pkt: TcpPacket, from: 0 | 1): boolean {
    if ((pkt.flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return false;
    const base = this.times.get(e, BASE0 + from);
    return !Number.isNaN(base) && pkt.seq !== base;
  }
}
