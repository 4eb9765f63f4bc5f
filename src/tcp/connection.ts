import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpPacket } from '../decode/tcp-packet';
import type { AddressBytes } from '../flow/endpoint-key';
import { seqAdd, seqDiff, seqLe, seqLt } from '../flow/seq';
import type { ConnEvent, ConnEventType, RstSeqFit } from './events';
import { ZeekConnTracker, ZeekEndpointColumns, zeekFlipsFirstPacket } from './zeek';
import { EventRecords } from './event-records';
import { enterState, Side, SideColumns } from './side';
import { StateRecords } from './state-records';
import { afterFinAcked, afterOwnFin, afterPeerFin, isFinished, type StateChange } from './tcp-state';

/** Silence after which a connection that is over (each side closed or reset) is forgotten: the longest
 * TIME_WAIT in common use (Windows' 2 MSL; Linux and the BSDs wait 60 s). Neither host remembers it
 * after that, so a later segment on its 4-tuple belongs to something new. */
export const RETIRE_CLOSED_S = 120;
/** Silence after which SYNs nobody answered are given up: every stack has stopped retrying by then
 * (Linux's 6 retries end after 127 s). */
export const RETIRE_ATTEMPT_S = 180;

/** Where the connections of one capture log their events and state changes while they are replayed:
 * typed columns shared by all of them, instead of some twenty objects per connection (half a million
 * connections can be open at once). */
export class ReplayLog {
  readonly events = new EventRecords();
  readonly states = new StateRecords();
  readonly sides = new SideColumns();
  readonly zeekEndpoints = new ZeekEndpointColumns();
}

/** One incarnation of a 4-tuple, replayed packet by packet. Side 0 is the first packet's source.
 * Its sides' numbers, events and state changes are in the ReplayLog until `release`. */
export class Connection {
  readonly sides: [Side, Side];
  private readonly eventRecords: EventRecords;
  private readonly states: StateRecords;
  /** Its chain of events in `eventRecords` (-1: none yet). */
  private eventsHead = -1;
  private eventsTail = -1;
  private released = false;
  start: number;
  end: number;
  firstFrame: number;
  lastFrame: number;
  /** No SYN from the client was seen: the capture started mid-connection or missed it. */
  partial = false;
  handshakeDone = false;
  /** Zeek's view of the same packets: conn_state and history. */
  readonly zeek: ZeekConnTracker;
  /** Which side is the client: the SYN sender, or Zeek's originator when no SYN was seen. */
  clientSide: 0 | 1;
  /** Last payload in either direction, or the handshake: when the connection last did something. */
  private lastActivityAt: number;

  constructor(
    readonly id: number,
    srcAddr: AddressBytes, srcPort: number, dstAddr: AddressBytes, dstPort: number,
    at: number, frame: number,
    /** The previous incarnation on the same 4-tuple, if any. */
    readonly previousId: number | null,
    firstFlags: number,
    log: ReplayLog,
  ) {
    this.eventRecords = log.events;
    this.states = log.states;
    const flipped = zeekFlipsFirstPacket(firstFlags, srcPort, dstPort);
    this.zeek = new ZeekConnTracker(flipped, log.zeekEndpoints);
    this.clientSide = flipped ? 1 : 0;
    this.sides = [new Side(log.sides, log.sides.take(), srcAddr, srcPort), new Side(log.sides, log.sides.take(), dstAddr, dstPort)];
    this.start = this.end = this.lastActivityAt = at;
    this.firstFrame = this.lastFrame = frame;
  }

  /** Replays one segment sent by side `from`. */
  update(pkt: TcpPacket, from: 0 | 1, at: number, frame: number, wireLen: number): void {
    const s = this.sides[from];
    const r = this.sides[from ^ 1];
    const flags = pkt.flags;
    if (s.packets === 0 && r.packets === 0) this.begin(pkt, from, at, frame);
    this.zeek.update(from === this.clientSide, flags, pkt.seq, pkt.ack, pkt.payloadLen, pkt.window, pkt.ipLen, pkt.payloadCaptured);
    if (this.zeek.rolesFlipped) this.flipRoles();
    s.packets++;
    s.bytes += wireLen;
    s.payloadBytes += pkt.payloadLen;
    s.ipBytes += pkt.ipLen;
    // Capture clocks can jump backwards: the span is from the earliest to the latest packet.
    if (at > this.end) this.end = at;
    else if (at < this.start) this.start = at;
    this.lastFrame = frame;

    if (flags & TCP_SYN) this.onSyn(pkt, s, r, from, at, frame);
    if (flags & TCP_ACK) this.onAck(pkt, s, r, from, at, frame);
    if (pkt.payloadLen > 0) this.onData(pkt, s, from, at, frame);
    if (flags & TCP_FIN) this.onFin(pkt, s, from, at, frame);
    if (flags & TCP_RST) this.onRst(pkt, s, r, from, at, frame);
    this.trackWindow(pkt, s, from, at, frame);

    const segEnd = seqAdd(pkt.seq, pkt.payloadLen + (flags & TCP_SYN ? 1 : 0) + (flags & TCP_FIN ? 1 : 0));
    if (!s.nextSeqSet || seqLt(s.nextSeq, segEnd)) { s.nextSeq = segEnd; s.nextSeqSet = true; }
  }

  private begin(pkt: TcpPacket, from: 0 | 1, at: number, frame: number): void {
    const syn = pkt.flags & TCP_SYN;
    if (syn && !(pkt.flags & TCP_ACK)) return;
    this.partial = true;
    const s = this.sides[from];
    const r = this.sides[from ^ 1];
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
        this.handshakeDone = true;
        this.lastActivityAt = at;
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

  private onData(pkt: TcpPacket, s: Side, from: 0 | 1, at: number, frame: number): void {
    if (s.firstDataFrame === 0) {
      s.firstDataFrame = frame;
      s.firstDataAt = at;
      this.log('first-data', from, pkt, at, frame);
    }
    s.lastDataFrame = frame;
    s.lastDataAt = at;
    s.lastDataSeq = pkt.seq;
    s.lastDataAck = pkt.ack;
    s.lastDataLen = pkt.payloadLen;
    this.lastActivityAt = at;
  }

  /** Seconds without a packet after which the connection may be forgotten (see FlowTable): it is over,
   * or it is an attempt nobody answered. Anything else (open, half-closed, a FIN unacknowledged) is
   * kept to the end of the capture, however long it is silent: that silence is what detectors measure. */
  retireAfterS(): number {
    const [a, b] = this.sides;
    if (isFinished(a.state) ? isFinished(b.state) || b.state === null : isFinished(b.state) && a.state === null) return RETIRE_CLOSED_S;
    const client = this.sides[this.clientSide];
    const server = this.sides[this.clientSide ^ 1];
    return client.state === 'SYN_SENT' && server.packets === 0 ? RETIRE_ATTEMPT_S : Infinity;
  }

  /** Events are logged by side, so only which side is the client changes. */
  private flipRoles(): void {
    this.clientSide ^= 1;
  }

  /** The event log with each side's last payload merged in, in frame order, in the report's shape. Put
   * in order by insertion: the log is nearly in order already, and a sort would allocate scratch space
   * for each of hundreds of thousands of connections. Stable, as sort is. */
  eventLog(): ConnEvent[] {
    this.checkHeld();
    const log: ConnEvent[] = [];
    for (let i = this.eventsHead; i >= 0; i = this.eventRecords.nextOf(i)) log.push(this.eventRecords.event(i, this.clientSide));
    for (const side of [0, 1] as const) {
      const s = this.sides[side];
      if (s.firstDataFrame === 0) continue;
      const by = side === this.clientSide ? 'client' : 'server';
      log.push({ type: 'last-data', by, at: s.lastDataAt, frame: s.lastDataFrame, seq: s.lastDataSeq, ack: s.lastDataAck, len: s.lastDataLen });
    }
    for (let i = 1; i < log.length; i++) {
      const e = log[i];
      let j = i;
      for (; j > 0 && log[j - 1].frame > e.frame; j--) log[j] = log[j - 1];
      log[j] = e;
    }
    return log;
  }

  /** Side `side`'s state changes, in the report's shape. */
  timeline(side: 0 | 1): StateChange[] {
    this.checkHeld();
    const changes: StateChange[] = [];
    for (let i = this.sides[side].statesHead; i >= 0; i = this.states.nextOf(i)) changes.push(this.states.change(i));
    return changes;
  }

  /** Gives its sides, Zeek endpoints, events and state changes back to the ReplayLog, for connections
   * still to come: call it once the connection is retired and its view made. */
  release(): void {
    this.checkHeld();
    this.released = true;
    this.eventRecords.free(this.eventsHead, this.eventsTail);
    for (const s of this.sides) {
      this.states.free(s.statesHead, s.statesTail);
      s.release();
    }
    this.zeek.release();
  }

  private checkHeld(): void {
    if (this.released) throw new Error(`connection ${this.id} was released: its events are gone`);
  }

  private onFin(pkt: TcpPacket, s: Side, from: 0 | 1, at: number, frame: number): void {
    const finSeq = seqAdd(pkt.seq, pkt.payloadLen + (pkt.flags & TCP_SYN ? 1 : 0));
    if (s.finSent) {
      this.log('fin-retransmit', from, pkt, at, frame);
      return;
    }
    s.finSent = true;
    s.finSeq = finSeq;
    this.eventRecords.setClose(this.log('fin', from, pkt, at, frame), idleSeconds(this.lastActivityAt, at, pkt));
    enterState(s, this.states, afterOwnFin(s.state), at, frame);
  }

  private onRst(pkt: TcpPacket, s: Side, r: Side, from: 0 | 1, at: number, frame: number): void {
    const fit = rstSeqFit(pkt, s, r);
    const rst = this.log('rst', from, pkt, at, frame);
    this.eventRecords.setClose(rst, idleSeconds(this.lastActivityAt, at, pkt), (pkt.flags & TCP_ACK) !== 0, fit);
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
  private log(type: ConnEventType, side: 0 | 1, pkt: TcpPacket, at: number, frame: number): number {
    this.eventsTail = this.eventRecords.append(this.eventsTail, type, side, at, frame, pkt.seq, pkt.ack, pkt.payloadLen);
    if (this.eventsHead < 0) this.eventsHead = this.eventsTail;
    return this.eventsTail;
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
