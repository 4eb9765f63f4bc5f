import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../decode/tcp-packet';
import { zeekConnState, type ZeekConnState } from './conn-state';
import { ZeekEndpoint, ZeekEndpointColumns, type ZeekEndpointState } from './endpoint';
import { gapAckReceived, gapDataSent } from './gap-tracker';
import { addHistory, LogScaleCounter, markFlip, type ZeekHistory } from './history';
import { recordSegmentHistory } from './segment-history';
import { seqAdd } from '../../flow/seq';
import { advanceLastSeq, initEndpoint, noteAck } from './sequence-tracking';
import {
  FX_ATTEMPT, FX_CLOSE, FX_FLIP, FX_MISSED_SYN, onClosed, onEstablished, onInactive, onSynSent, type SegmentView,
} from './state-handlers';

/** Bits of `events`: what the last update means for Zeek's connection timers (see ZeekConnClock). */
export const EV_TOUCHED = 1; // the connection's last_time moved to this packet
export const EV_ATTEMPT = 2; // the originator's first SYN arms the connection-attempt timer
export const EV_CLOSE_PENDING = 4; // one side closed, the other still open: an expire timer is armed
export const EV_CLOSE_COMPLETE = 8; // closed (or reset) for good: state goes tcp_close_delay after last_time

const EVENT_BITS = EV_TOUCHED | EV_ATTEMPT | EV_CLOSE_PENDING | EV_CLOSE_COMPLETE;
const ORIG_SEEN = 1;
const RESP_SEEN = 2;
// The rest of ZeekConnTracker.bits, above EVENT_BITS: firstSeen (ORIG_SEEN | RESP_SEEN) shifted by FIRST_SEEN_SHIFT,
// then the flags.
const FIRST_SEEN_SHIFT = 4;
const FLIPPED_NOW = 0x40;
const PARTIAL = 0x80;
const HANDSHAKE_DONE = 0x100;
const HANDSHAKE_STATES: ReadonlySet<ZeekEndpointState> = new Set(['INACTIVE', 'SYN_SENT', 'SYN_ACK_SENT']);

const STANDALONE_COLUMNS = new ZeekEndpointColumns();

/** What the state handlers see of the segment: one object for all connections (updates never nest). */
const SEGMENT: SegmentView = { isOrig: true, flags: 0, seq: 0, payloadLen: 0, origState: 'INACTIVE' };

function cleanlyOpenOrClosing(ep: ZeekEndpoint): boolean {
  return ep.state === 'ESTABLISHED' || (ep.state === 'CLOSED' && ep.prevState === 'ESTABLISHED');
}

/**
 * Zeek's view of one TCP connection (TCPSessionAdapter + TCP_Endpoint + ConnSize), fed one segment at a time.
 * "orig"/"resp" are Zeek's originator/responder; the caller maps them to client/server.
 */
export class ZeekConnTracker implements ZeekHistory {
  /** The columns' two handles, moved to the endpoints' slots by `bound` when asked anything: swapped, with
   * the slots, when roles flip. */
  private origEp: ZeekEndpoint;
  private respEp: ZeekEndpoint;
  private origSlot: number;
  private respSlot: number;
  /** Zeek's history string and its hist_seen bits, written by history.ts's functions (see ZeekHistory). */
  history = '';
  historySeen = 0;
  private pktsOrig = 0;
  private pktsResp = 0;
  private ipBytesOrig = 0;
  private ipBytesResp = 0;
  /** The flags and small numbers below, in one field: a field is 8 bytes, and there is a tracker for
   * every connection open. */
  private bits = 0;

  /** `flippedAtStart`: zeekFlipsFirstPacket said the first packet's destination is the originator.
   * `columns`: where the endpoints' numbers go; a tracker on its own (tests) shares one set with the
   * others on their own and never releases. */
  constructor(flippedAtStart = false, columns = STANDALONE_COLUMNS) {
    [this.origEp, this.respEp] = columns.handles;
    this.origSlot = columns.take();
    this.respSlot = columns.take();
    if (flippedAtStart) markFlip(this);
  }

  /** EV_* bits of the last update. */
  private get eventBits(): number { return this.bits & EVENT_BITS; }
  private set eventBits(v: number) { this.bits = (this.bits & ~EVENT_BITS) | v; }
  /** ORIG_SEEN and RESP_SEEN: which sides have sent a packet. */
  private get firstSeen(): number { return (this.bits >> FIRST_SEEN_SHIFT) & (ORIG_SEEN | RESP_SEEN); }
  private set firstSeen(v: number) { this.bits = (this.bits & ~((ORIG_SEEN | RESP_SEEN) << FIRST_SEEN_SHIFT)) | (v << FIRST_SEEN_SHIFT); }
  private get flippedNow(): boolean { return (this.bits & FLIPPED_NOW) !== 0; }
  private set flippedNow(v: boolean) { this.setBit(FLIPPED_NOW, v); }
  /** Zeek's is_partial: a side's first packet was not a plain handshake packet. */
  private get partial(): boolean { return (this.bits & PARTIAL) !== 0; }
  private set partial(v: boolean) { this.setBit(PARTIAL, v); }
  private get handshakeDone(): boolean { return (this.bits & HANDSHAKE_DONE) !== 0; }
  private set handshakeDone(v: boolean) { this.setBit(HANDSHAKE_DONE, v); }

  private setBit(bit: number, on: boolean): void {
    this.bits = on ? this.bits | bit : this.bits & ~bit;
  }

  /** Moves the handles to this tracker's endpoints: other trackers move them too. */
  private bound(): void {
    this.origEp.moveTo(this.origSlot);
    this.respEp.moveTo(this.respSlot);
  }

  /** Gives the endpoints' slots back: the tracker is not used afterwards. */
  release(): void {
    this.origEp.cols.give(this.origSlot);
    this.respEp.cols.give(this.respSlot);
  }

  /** The last update swapped originator and responder: the caller must swap its orientation too. */
  get rolesFlipped(): boolean {
    return this.flippedNow;
  }

  /** EV_* bits of the last update. */
  get events(): number {
    return this.eventBits;
  }

  /** Packets and IP bytes per direction, as Zeek's ConnSize analyzer counts them. */
  get origPkts(): number {
    return this.pktsOrig;
  }

  get respPkts(): number {
    return this.pktsResp;
  }

  get origIpBytes(): number {
    return this.ipBytesOrig;
  }

  get respIpBytes(): number {
    return this.ipBytesResp;
  }

  get origState(): ZeekEndpointState {
    this.bound();
    return this.origEp.state;
  }

  get respState(): ZeekEndpointState {
    this.bound();
    return this.respEp.state;
  }

  get origClosed(): boolean {
    this.bound();
    return this.origEp.didClose;
  }

  get respClosed(): boolean {
    this.bound();
    return this.respEp.didClose;
  }

  /** orig_bytes as Zeek computes it: from sequence numbers, not from counting payload. */
  get origBytes(): number {
    this.bound();
    return this.origEp.size(this.respEp);
  }

  get respBytes(): number {
    this.bound();
    return this.respEp.size(this.origEp);
  }

  /** Idle time after which Zeek drops the connection: udp_inactivity_timeout until the handshake is over. */
  get inactivityTimeoutSec(): number {
    return this.handshakeDone ? 300 : 60;
  }

  connState(): ZeekConnState {
    this.bound();
    const orig = this.origEp;
    const resp = this.respEp;
    return zeekConnState(orig.state, resp.state, orig.size(resp), resp.size(orig), this.history);
  }

  /** Whether Zeek would end this connection and start a new one with this segment (TCPSessionAdapter::IsReuse). */
  isReuse(flags: number, seq: number): boolean {
    this.bound();
    if ((flags & TCP_SYN) === 0) return false;
    const ack = (flags & TCP_ACK) !== 0;
    if (ack && this.origEp.state !== 'INACTIVE') return false;
    const starter = ack ? this.respEp : this.origEp;
    if (this.origEp.didClose || this.respEp.didClose) return true;
    if (seq === starter.startSeq) return false;
    // The SYN that belongs to a SYN-ACK seen first is not a new connection.
    return ack || starter.state !== 'SYN_ACK_SENT' || this.respEp.state !== 'INACTIVE' || seq !== this.respEp.startSeq;
  }

  /**
   * One segment. `payloadLen` comes from the IP length; `payloadCaptured` is how much of it the capture kept
   * (Zeek's reassembler skips a cut payload, so a later ACK of it shows as a content gap).
   */
  update(
    fromOrig: boolean, flags: number, seq: number, ack: number, payloadLen: number, window: number, ipLen: number,
    payloadCaptured = payloadLen,
  ): void {
    this.bound();
    this.eventBits = 0;
    this.flippedNow = false;
    if (this.history === 'H' && ackOrData(flags, payloadLen)) {
      // A SYN-ACK followed by an ack or data: no stealth scan does that, so the SYN-ACK came from the server.
      this.flipRoles();
      this.history = '^h';
      fromOrig = !fromOrig;
      this.flippedNow = true;
    }
    const ep = fromOrig ? this.origEp : this.respEp;
    const peer = fromOrig ? this.respEp : this.origEp;
    const syn = (flags & TCP_SYN) !== 0;
    const fin = (flags & TCP_FIN) !== 0;
    const rst = (flags & TCP_RST) !== 0;
    this.notePartial(fromOrig, flags);

    const segLen = rst ? (syn ? 1 : 0) + (fin ? 1 : 0) : payloadLen + (syn ? 1 : 0) + (fin ? 1 : 0);
    const end = seqAdd(seq, segLen);
    initEndpoint(ep, syn, seq, end);
    const relSeq = ep.relativeSeq(seq, ep.lastSeq, ep.seqWraps);
    recordSegmentHistory(this, ep, fromOrig, flags, relSeq, payloadLen);
    if (window === 0 && !rst && peer.state !== 'CLOSED' && ep.state !== 'RESET' && (ep.zeroWindows ??= new LogScaleCounter()).step()) {
      addHistory(this, 'W', fromOrig);
    }
    if (!(this.origEp.didClose && this.respEp.didClose)) this.eventBits |= EV_TOUCHED;
    if (fin) {
      ep.finCount++;
      ep.finSeq = relSeq + segLen;
    }
    const relAck = (flags & TCP_ACK) !== 0 ? noteAck(peer, ack, rst) : 0;
    if (advanceLastSeq(ep, end, flags, payloadLen) && (ep.retransmits ??= new LogScaleCounter()).step()) addHistory(this, 'T', fromOrig);

    const fx = this.runStateMachine(ep, peer, fromOrig, flags, seq, payloadLen);
    if ((fx & FX_FLIP) !== 0) {
      this.flipRoles();
      this.firstSeen |= ORIG_SEEN;
      this.flippedNow = true;
    }
    if ((fx & FX_MISSED_SYN) !== 0) {
      this.partial = false;
      this.firstSeen |= fromOrig ? ORIG_SEEN : RESP_SEEN;
    }
    if ((fx & FX_ATTEMPT) !== 0) this.eventBits |= EV_ATTEMPT;
    if ((flags & TCP_ACK) !== 0) this.noteAckedData(peer, relAck);
    // Zeek goes on with the pre-flip direction here and in the packet counts below.
    this.firstSeen |= fromOrig ? ORIG_SEEN : RESP_SEEN;
    if (payloadLen > 0 && payloadCaptured >= payloadLen && !rst && relSeq >= 0) {
      gapDataSent(ep, syn ? relSeq + 1 : relSeq, payloadLen, ep.ackedRelative(), ep.noDataAcked());
    }
    if ((fx & FX_CLOSE) !== 0) this.connectionClosed(ep, peer);
    if (!HANDSHAKE_STATES.has(ep.state) || !HANDSHAKE_STATES.has(peer.state)) this.handshakeDone = true;

    if (fromOrig) {
      this.pktsOrig++;
      this.ipBytesOrig += ipLen;
    } else {
      this.pktsResp++;
      this.ipBytesResp += ipLen;
    }
  }

  private notePartial(isOrig: boolean, flags: number): void {
    const syn = (flags & TCP_SYN) !== 0;
    if (isOrig) {
      if ((this.firstSeen & ORIG_SEEN) === 0) this.partial = !syn || (flags & TCP_ACK) !== 0;
    } else if ((this.firstSeen & RESP_SEEN) === 0 && !this.partial) {
      this.partial = !syn;
    }
  }

  private runStateMachine(
    ep: ZeekEndpoint, peer: ZeekEndpoint, isOrig: boolean, flags: number, seq: number, payloadLen: number,
  ): number {
    const v = SEGMENT;
    v.isOrig = isOrig;
    v.flags = flags;
    v.seq = seq;
    v.payloadLen = payloadLen;
    v.origState = this.origEp.state;
    switch (ep.state) {
      case 'INACTIVE': return onInactive(ep, peer, v);
      case 'SYN_SENT':
      case 'SYN_ACK_SENT': return onSynSent(ep, v);
      case 'ESTABLISHED':
      case 'PARTIAL': return onEstablished(ep, peer, v);
      case 'CLOSED': return onClosed(ep, peer, v);
      case 'RESET': return 0;
    }
  }

  /** The peer's ACK may reveal data of `owner` that never arrived: a content gap (G). */
  private noteAckedData(owner: ZeekEndpoint, relAck: number): void {
    const other = owner === this.origEp ? this.respEp : this.origEp;
    const holes = gapAckReceived(owner, relAck, owner.finCount > 0, owner.finSeq, this.partial);
    // Gaps outside a clean open or close are usually artefacts (RST seqs, partial connections).
    if (holes === 0 || !cleanlyOpenOrClosing(owner) || !cleanlyOpenOrClosing(other)) return;
    const isOrig = owner === this.origEp;
    for (let i = 0; i < holes; i++) if ((owner.contentGaps ??= new LogScaleCounter()).step()) addHistory(this, 'G', isOrig);
  }

  /** ConnectionClosed: mark the side closed and tell the timers whether the whole connection is done. */
  private connectionClosed(ep: ZeekEndpoint, peer: ZeekEndpoint): void {
    if (ep.didClose) return;
    ep.didClose = true;
    if (ep.state === 'RESET' || peer.didClose || peer.state === 'INACTIVE') this.eventBits |= EV_CLOSE_COMPLETE;
    else if (ep.prevState !== 'INACTIVE') this.eventBits |= EV_CLOSE_PENDING;
  }

  private flipRoles(): void {
    const ep = this.origEp;
    this.origEp = this.respEp;
    this.respEp = ep;
    const slot = this.origSlot;
    this.origSlot = this.respSlot;
    this.respSlot = slot;
    const pkts = this.pktsOrig;
    this.pktsOrig = this.pktsResp;
    this.pktsResp = pkts;
    const bytes = this.ipBytesOrig;
    this.ipBytesOrig = this.ipBytesResp;
    this.ipBytesResp = bytes;
    const seen = this.firstSeen;
    this.firstSeen = ((seen & ORIG_SEEN) !== 0 ? RESP_SEEN : 0) | ((seen & RESP_SEEN) !== 0 ? ORIG_SEEN : 0);
    this.partial = false;
    markFlip(this);
  }
}

function ackOrData(flags: number, payloadLen: number): boolean {
  if ((flags & (TCP_SYN | TCP_FIN | TCP_RST)) !== 0) return false;
  return payloadLen > 0 || (flags & TCP_ACK) !== 0;
}
