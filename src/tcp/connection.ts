import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpPacket } from '../decode/tcp-packet';
import type { AddressBytes } from '../flow/endpoint-key';
import { seqAdd, seqDiff, seqLe, seqLt } from '../flow/seq';
import type { RstSeqFit } from './events';
import { ZeekConnTracker, ZeekEndpointColumns, zeekFlipsFirstPacket } from './zeek';
import { EventRecords, type LoggedEventType } from './event-records';
import { Float64Pages, Int32Pages, REPLAY_PAGE_BITS } from '../flow/id-pages';
import { Slots } from '../flow/slots';
import { enterState, Side, SideColumns } from './side';
import { StateRecords } from './state-records';
import { afterFinAcked, afterOwnFin, afterPeerFin, isFinished } from './tcp-state';

/** Silence after which a connection that is over (each side closed or reset) is forgotten: the longest
 * TIME_WAIT in common use (Windows' 2 MSL; Linux and the BSDs wait 60 s). Neither host remembers it
 * after that, so a later segment on its 4-tuple belongs to something new. */
export const RETIRE_CLOSED_S = 120;
/** Silence after which SYNs nobody answered are given up: every stack has stopped retrying by then
 * (Linux's 6 retries end after 127 s). */
export const RETIRE_ATTEMPT_S = 180;

// A connection's numbers in ConnectionColumns, by type. Capture times and frame numbers (which may pass 2^32):
const START = 0;
const END = 1;
/** Last payload in either direction, or the handshake: when the connection last did something. */
const LAST_ACTIVITY_AT = 2;
const FIRST_FRAME = 3;
const LAST_FRAME = 4;
const TIMES = 5;
// Its chain of events in EventRecords (-1: none yet), and its sides' slots in SideColumns (side 1's is
// SIDE0 + 1):
const EVENTS_HEAD = 0;
const EVENTS_TAIL = 1;
const SIDE0 = 2;
const LINKS = 4;

// Bits of Connection.bits: kept in the object, so that they can still be read once it is released.
const PARTIAL = 1;
const HANDSHAKE_DONE = 2;
const RELEASED = 4;
const CLIENT_IS_SIDE_1 = 8;

/** The numbers of every connection being replayed, by slot (see SideColumns). */
export class ConnectionColumns {
  readonly times = new Float64Pages(TIMES, REPLAY_PAGE_BITS);
  readonly links = new Int32Pages(LINKS, REPLAY_PAGE_BITS);
  private readonly slots = new Slots([[this.times, 0], [this.links, -1]]);

  take(): number {
    return this.slots.take();
  }

  give(slot: number): void {
    this.slots.give(slot);
  }
}

/** Where the connections of one capture log their events and state changes while they are replayed:
 * typed columns shared by all of them, instead of some twenty objects per connection (half a million
 * connections can be open at once). */
export class ReplayLog {
  readonly events = new EventRecords();
  readonly states = new StateRecords();
  readonly sides = new SideColumns();
  readonly zeekEndpoints = new ZeekEndpointColumns();
  readonly connections = new ConnectionColumns();
  /** Handles moved to the sides of the connection being updated: the sender of the segment and the other. */
  readonly sender = new Side(this.sides);
  readonly receiver = new Side(this.sides);
  /** Handles moved to side 0 and side 1 of a connection read whole (its record, its release): a handle is
   * some 120 bytes, and making four per connection allocated 95 MB on bench (a). */
  readonly bySide: readonly [Side, Side] = [new Side(this.sides), new Side(this.sides)];
}

/** One incarnation of a 4-tuple, replayed packet by packet. Side 0 is the first packet's source.
 * Its numbers, its sides', its events and state changes are in the ReplayLog until `release`: the object
 * holds only references (half a million connections can be open at once). */
export class Connection {
  private readonly slot: number;
  private bits = 0;
  /** Its last frame when its record went on ahead of its retirement, as it closed (see replay-worker.ts);
   * -1: none went. Kept in the object, which its packet has just touched: a Map by id of the connections
   * closed in the last RETIRE_CLOSED_S (some 25,000 on bench (a)) cost the replay thread about 100 ms. */
  recordSentAtFrame = -1;
  /** Zeek's view of the same packets: conn_state and history. */
  readonly zeek: ZeekConnTracker;

  constructor(
    readonly id: number,
    private readonly addr0: AddressBytes, srcPort: number, private readonly addr1: AddressBytes, dstPort: number,
    at: number, frame: number,
    /** The previous incarnation on the same 4-tuple, if any. */
    readonly previousId: number | null,
    firstFlags: number,
    private readonly replay: ReplayLog,
  ) {
    const slot = this.slot = replay.connections.take();
    const flipped = zeekFlipsFirstPacket(firstFlags, srcPort, dstPort);
    this.zeek = new ZeekConnTracker(flipped, replay.zeekEndpoints);
    if (flipped) this.bits |= CLIENT_IS_SIDE_1;
    this.cols.links.set(slot, SIDE0, replay.sides.take(srcPort));
    this.cols.links.set(slot, SIDE0 + 1, replay.sides.take(dstPort));
    const times = this.cols.times;
    times.set(slot, START, at);
    times.set(slot, END, at);
    times.set(slot, LAST_ACTIVITY_AT, at);
    times.set(slot, FIRST_FRAME, frame);
    times.set(slot, LAST_FRAME, frame);
  }

  /** Where its events are logged (see eventsHead), and its sides' state changes (see Side.statesHead). */
  get eventRecords(): EventRecords {
    return this.replay.events;
  }

  get states(): StateRecords {
    return this.replay.states;
  }

  /** Its first event in eventRecords (-1: none), then each nextOf the one before. The first and last
   * payload of each side are kept by the side (see Side.firstDataFrame): connection-record.ts merges them. */
  get eventsHead(): number {
    this.checkHeld();
    return this.cols.links.get(this.slot, EVENTS_HEAD);
  }

  private get cols(): ConnectionColumns {
    return this.replay.connections;
  }

  /** Side 0 is the first packet's source: the ReplayLog's handle for side `i`, moved to this connection's;
   * valid until side `i` of another connection is asked for. */
  side(i: 0 | 1): Side {
    this.checkHeld();
    return this.replay.bySide[i].moveTo(this.cols.links.get(this.slot, SIDE0 + i), i === 0 ? this.addr0 : this.addr1);
  }

  /** Moves the ReplayLog's sender handle to side `from` and its receiver handle to the other side: no
   * handle is made per packet. */
  private moveHandles(from: 0 | 1): void {
    const links = this.cols.links;
    const other = from === 0 ? 1 : 0;
    this.replay.sender.moveTo(links.get(this.slot, SIDE0 + from), from === 0 ? this.addr0 : this.addr1);
    this.replay.receiver.moveTo(links.get(this.slot, SIDE0 + other), other === 0 ? this.addr0 : this.addr1);
  }

  /** Which side is the client: the SYN sender, or Zeek's originator when no SYN was seen. */
  get clientSide(): 0 | 1 {
    return (this.bits & CLIENT_IS_SIDE_1) !== 0 ? 1 : 0;
  }

  /** No SYN from the client was seen: the capture started mid-connection or missed it. */
  get partial(): boolean {
    return (this.bits & PARTIAL) !== 0;
  }

  get handshakeDone(): boolean {
    return (this.bits & HANDSHAKE_DONE) !== 0;
  }

  /** Capture times of its earliest and latest packets, and the first and last frame numbers. */
  get start(): number {
    return this.number(START);
  }

  get end(): number {
    return this.number(END);
  }

  get firstFrame(): number {
    return this.number(FIRST_FRAME);
  }

  get lastFrame(): number {
    return this.number(LAST_FRAME);
  }

  private number(k: number): number {
    this.checkHeld();
    return this.cols.times.get(this.slot, k);
  }

  /** Replays one segment sent by side `from`. */
  update(pkt: TcpPacket, from: 0 | 1, at: number, frame: number, wireLen: number): void {
    this.moveHandles(from);
    const s = this.replay.sender;
    const r = this.replay.receiver;
    const flags = pkt.flags;
    if (s.packets === 0 && r.packets === 0) this.begin(pkt, s, r, at, frame);
    this.zeek.update(from === this.clientSide, flags, pkt.seq, pkt.ack, pkt.payloadLen, pkt.window, pkt.ipLen, pkt.payloadCaptured);
    if (this.zeek.rolesFlipped) this.flipRoles();
    s.packets++;
    s.bytes += wireLen;
    s.payloadBytes += pkt.payloadLen;
    s.ipBytes += pkt.ipLen;
    // Capture clocks can jump backwards: the span is from the earliest to the latest packet.
    const times = this.cols.times;
    const slot = this.slot;
    if (at > times.get(slot, END)) times.set(slot, END, at);
    else if (at < times.get(slot, START)) times.set(slot, START, at);
    times.set(slot, LAST_FRAME, frame);

    if (flags & TCP_SYN) this.onSyn(pkt, s, r, from, at, frame);
    if (flags & TCP_ACK) this.onAck(pkt, s, r, from, at, frame);
    if (pkt.payloadLen > 0) this.onData(pkt, s, at, frame);
    if (flags & TCP_FIN) this.onFin(pkt, s, from, at, frame);
    if (flags & TCP_RST) this.onRst(pkt, s, r, from, at, frame);
    this.trackWindow(pkt, s, from, at, frame);

    const segEnd = seqAdd(pkt.seq, pkt.payloadLen + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0));
    if (!s.nextSeqSet || seqLt(s.nextSeq, segEnd)) { s.nextSeq = segEnd; s.nextSeqSet = true; }
  }

  private begin(pkt: TcpPacket, s: Side, r: Side, at: number, frame: number): void {
    const syn = pkt.flags & TCP_SYN;
    if (syn && !(pkt.flags & TCP_ACK)) return;
    this.bits |= PARTIAL;
    if (syn) {
      enterState(r, this.states, 'SYN_SENT', at, frame, true);
    } else {
      enterState(s, this.states, 'ESTABLISHED', at, frame, true);
      enterState(r, this.states, 'ESTABLISHED', at, frame, true);
    }
  }

  private onSyn(pkt: TcpPacket, s: Side, r: Side, from: 0 | 1, at: number, frame: number): void {
    const synAck = (pkt.flags & TCP_ACK) !== 0;
    if (pkt.windowScale >= 0) s.windowScale = pkt.windowScale;
    if (s.synSeen && pkt.seq === s.isn) {
      this.log(synAck ? 'syn-ack-retransmit' : 'syn-retransmit', from, pkt, at, frame);
      // The attempt goes on after its handshake was reset (e.g. after answering a challenge ACK).
      if (!synAck && !this.handshakeDone && isFinished(s.state)) enterState(s, this.states, 'SYN_SENT', at, frame);
      return;
    }
    s.synSeen = true;
    s.isn = pkt.seq;
    this.log(synAck ? 'syn-ack' : 'syn', from, pkt, at, frame);
    if (synAck) {
      if (r.state === null) enterState(r, this.states, 'SYN_SENT', at, frame, true);
      enterState(s, this.states, 'SYN_RECEIVED', at, frame);
    } else if (s.state === null) {
      enterState(s, this.states, 'SYN_SENT', at, frame);
    }
  }

  private onAck(pkt: TcpPacket, s: Side, r: Side, from: 0 | 1, at: number, frame: number): void {
    s.lastAck = pkt.ack;
    s.ackSet = true;
    if (pkt.flags & TCP_SYN) return;
    if (!this.handshakeDone && s.state === 'SYN_SENT') {
      if (r.state === 'SYN_RECEIVED' && r.synSeen && seqLe(seqAdd(r.isn, 1), pkt.ack)) {
        this.bits |= HANDSHAKE_DONE;
        this.cols.times.set(this.slot, LAST_ACTIVITY_AT, at);
        enterState(s, this.states, 'ESTABLISHED', at, frame);
        enterState(r, this.states, 'ESTABLISHED', at, frame);
        this.log('handshake-complete', from, pkt, at, frame);
      }
    } else if (!this.handshakeDone && s.state === null && r.state === 'SYN_SENT' && r.synSeen
      && pkt.ack !== seqAdd(r.isn, 1)) {
      // A bare ACK answering a SYN: the host still holds an older connection on this 4-tuple (RFC 5961 §4).
      this.log('challenge-ack', from, pkt, at, frame);
      return;
    }
    if (r.finSent && !r.finAcked && seqLe(seqAdd(r.finSeq, 1), pkt.ack)) {
      r.finAcked = true;
      this.log('fin-ack', from, pkt, at, frame);
      // This segment follows s's own FIN in s's stream, so r has received that FIN by now
      // (simultaneous close: r passes through CLOSING).
      if (s.finSent && r.state === 'FIN_WAIT_1') enterState(r, this.states, afterPeerFin(r.state), at, frame);
      enterState(r, this.states, afterFinAcked(r.state), at, frame);
      enterState(s, this.states, afterPeerFin(s.state), at, frame);
    }
  }

  private onData(pkt: TcpPacket, s: Side, at: number, frame: number): void {
    if (s.firstDataFrame === 0) {
      // Kept by the side rather than logged: a record is 40 bytes, and most connections have two.
      s.firstDataFrame = frame;
      s.firstDataAt = at;
      s.firstDataSeq = pkt.seq;
      s.firstDataAck = pkt.ack;
      s.firstDataLen = pkt.payloadLen;
    }
    s.lastDataFrame = frame;
    s.lastDataAt = at;
    s.lastDataSeq = pkt.seq;
    s.lastDataAck = pkt.ack;
    s.lastDataLen = pkt.payloadLen;
    this.cols.times.set(this.slot, LAST_ACTIVITY_AT, at);
  }

  /** Seconds without a packet after which the connection may be forgotten (see FlowTable): it is over,
   * or it is an attempt nobody answered. Anything else (open, half-closed, a FIN unacknowledged) is
   * kept to the end of the capture, however long it is silent: that silence is what detectors measure. */
  retireAfterS(): number {
    this.moveHandles(this.clientSide);
    const client = this.replay.sender;
    const server = this.replay.receiver;
    const a = client.state;
    const b = server.state;
    // Whichever is side 0: the test is the same both ways round.
    if (isFinished(a) ? isFinished(b) || b === null : isFinished(b) && a === null) return RETIRE_CLOSED_S;
    return a === 'SYN_SENT' && server.packets === 0 ? RETIRE_ATTEMPT_S : Infinity;
  }

  /** Events are logged by side, so only which side is the client changes. */
  private flipRoles(): void {
    this.bits ^= CLIENT_IS_SIDE_1;
  }

  /** Gives its sides, Zeek endpoints, events and state changes back to the ReplayLog, for connections
   * still to come: call it once the connection is retired and its record written (see connection-record.ts). */
  release(): void {
    // Before anything is freed: a second release would free what the slots' next owner holds.
    this.checkHeld();
    const links = this.cols.links;
    this.eventRecords.free(links.get(this.slot, EVENTS_HEAD), links.get(this.slot, EVENTS_TAIL));
    for (const s of [this.side(0), this.side(1)]) {
      this.states.free(s.statesHead, s.statesTail);
      s.release();
    }
    this.bits |= RELEASED;
    this.zeek.release();
    this.cols.give(this.slot);
  }

  private checkHeld(): void {
    if ((this.bits & RELEASED) !== 0) throw new Error(`connection ${this.id} was released: its events are gone`);
  }

  private onFin(pkt: TcpPacket, s: Side, from: 0 | 1, at: number, frame: number): void {
    const finSeq = seqAdd(pkt.seq, pkt.payloadLen + (pkt.flags & TCP_SYN ? 1 : 0));
    if (s.finSent) {
      this.log('fin-retransmit', from, pkt, at, frame);
      return;
    }
    s.finSent = true;
    s.finSeq = finSeq;
    this.eventRecords.setClose(this.log('fin', from, pkt, at, frame), idleSeconds(this.cols.times.get(this.slot, LAST_ACTIVITY_AT), at, pkt));
    enterState(s, this.states, afterOwnFin(s.state), at, frame);
  }

  private onRst(pkt: TcpPacket, s: Side, r: Side, from: 0 | 1, at: number, frame: number): void {
    const fit = rstSeqFit(pkt, s, r);
    const rst = this.log('rst', from, pkt, at, frame);
    this.eventRecords.setClose(rst, idleSeconds(this.cols.times.get(this.slot, LAST_ACTIVITY_AT), at, pkt), (pkt.flags & TCP_ACK) !== 0, fit);
    s.rstSent = true;
    if (!isFinished(s.state)) enterState(s, this.states, 'RESET', at, frame);
    if (fit !== 'out-of-window' && r.state !== null && !isFinished(r.state)) enterState(r, this.states, 'CLOSED', at, frame);
  }

  private trackWindow(pkt: TcpPacket, s: Side, from: 0 | 1, at: number, frame: number): void {
    s.window = pkt.window;
    if (pkt.window !== 0) {
      if (s.zeroWindow) this.log('window-reopen', from, pkt, at, frame);
      s.zeroWindow = false;
      return;
    }
    if (pkt.flags & (TCP_SYN | TCP_FIN | TCP_RST) || s.zeroWindow) return;
    s.zeroWindow = true;
    this.log('zero-window', from, pkt, at, frame);
  }

  /** Logs an event; returns its record. */
  private log(type: LoggedEventType, side: 0 | 1, pkt: TcpPacket, at: number, frame: number): number {
    const links = this.cols.links;
    const tail = this.eventRecords.append(links.get(this.slot, EVENTS_TAIL), type, side, at, frame, pkt.seq, pkt.ack, pkt.payloadLen);
    links.set(this.slot, EVENTS_TAIL, tail);
    if (links.get(this.slot, EVENTS_HEAD) < 0) links.set(this.slot, EVENTS_HEAD, tail);
    return tail;
  }
}

/** Idle time before a FIN or RST; a FIN carrying payload was not idle. */
function idleSeconds(lastActivityAt: number, at: number, pkt: TcpPacket): number {
  return pkt.payloadLen > 0 ? 0 : Math.max(0, Math.round((at - lastActivityAt) * 1e6) / 1e6);
}

/** Where the RST's seq falls in what its receiver `r` expects from the sender `s`. */
function rstSeqFit(pkt: TcpPacket, s: Side, r: Side): RstSeqFit {
  if (r.state === 'SYN_SENT') {
    // Answering a SYN: acceptable only when it acknowledges that SYN (RFC 793 p.37).
    return pkt.flags & TCP_ACK && pkt.ack === seqAdd(r.isn, 1) ? 'exact' : 'out-of-window';
  }
  if (!r.ackSet) return s.nextSeqSet && pkt.seq === s.nextSeq ? 'exact' : 'unknown';
  const offset = seqDiff(r.lastAck, pkt.seq);
  if (offset === 0) return 'exact';
  const scale = r.windowScale >= 0 && s.windowScale >= 0 ? r.windowScale : 0;
  const window = Math.max(r.window * 2 ** scale, 1);
  return offset >= 0 && offset < window ? 'in-window' : 'out-of-window';
}
