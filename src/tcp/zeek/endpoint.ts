import { GapTracker } from './gap-tracker';
import { LogScaleCounter } from './history';
import { fullSeq, seqAdd, seqDiff } from '../../flow/seq';

/** Zeek's per-endpoint TCP states (TCP_Endpoint.h); `ZEEK_STATE_CODE` gives the numbers Zeek prints. */
export type ZeekEndpointState =
  | 'INACTIVE'
  | 'SYN_SENT'
  | 'SYN_ACK_SENT'
  | 'PARTIAL'
  | 'ESTABLISHED'
  | 'CLOSED'
  | 'RESET';

export const ZEEK_STATE_CODE: Readonly<Record<ZeekEndpointState, number>> = {
  INACTIVE: 0, SYN_SENT: 1, SYN_ACK_SENT: 2, PARTIAL: 3, ESTABLISHED: 4, CLOSED: 5, RESET: 6,
};

/** One side of a connection as Zeek tracks it. Sequence fields are raw 32-bit values plus wrap counts. */
export class ZeekEndpoint {
  state: ZeekEndpointState = 'INACTIVE';
  prevState: ZeekEndpointState = 'INACTIVE';
  /** ISN (or the guess for a partial connection); kept in [0, 2^32). */
  startSeq = 0;
  /** One past the highest sequence number sent. */
  lastSeq = 0;
  /** Highest acknowledgement of this endpoint's data sent by the peer. */
  ackSeq = 0;
  seqWraps = 0;
  ackWraps = 0;
  finCount = 0;
  /** Relative sequence number just past this endpoint's FIN. */
  finSeq = 0;
  /** Zeek reported this side as closed (ConnectionClosed ran for it). */
  didClose = false;
  /** Relative seqs of the last SYN, FIN and RST: a repeat adds a history letter only when these change. */
  histLastSyn = 0;
  histLastFin = 0;
  histLastRst = 0;
  /** Retransmissions (T), zero windows (W) and content gaps (G), each on Zeek's log scale; made on the
   * first such event (most connections have none, and there are a million connections to hold). */
  retransmits: LogScaleCounter | null = null;
  zeroWindows: LogScaleCounter | null = null;
  contentGaps: LogScaleCounter | null = null;
  readonly gaps = new GapTracker();

  setState(next: ZeekEndpointState): void {
    if (next === this.state) return;
    this.prevState = this.state;
    this.state = next;
  }

  /** Restart the sequence space at `start` (a SYN, or a guessed ISN). */
  initSeqs(start: number, last: number): void {
    this.startSeq = seqAdd(start, 0);
    this.ackSeq = seqAdd(start, 0);
    this.lastSeq = seqAdd(last, 0);
  }

  updateLastSeq(seq: number): void {
    if (seq < this.lastSeq) this.seqWraps++;
    this.lastSeq = seq;
  }

  updateAckSeq(seq: number): void {
    if (seq < this.ackSeq) this.ackWraps++;
    this.ackSeq = seq;
  }

  /**
   * Zeek's get_relative_seq: `cur` relative to the ISN, its wrap count guessed from the neighbour `last`.
   * Negative means before the ISN (Zeek's "underflow").
   */
  relativeSeq(cur: number, last: number, wraps: number): number {
    const delta = seqDiff(last, cur);
    if (delta < 0 && wraps > 0 && cur > last) wraps--;
    else if (delta > 0 && cur < last) wraps++;
    if (wraps === 0) return seqDiff(this.startSeq, cur);
    return fullSeq(cur, wraps) - this.startSeq;
  }

  /** How far the peer has acked this side's data, relative to the ISN. */
  ackedRelative(): number {
    return fullSeq(this.ackSeq, this.ackWraps) - this.startSeq;
  }

  /** None of this side's data acked (one octet allowed for the SYN). */
  noDataAcked(): boolean {
    const acked = this.ackedRelative();
    return acked === 0 || acked === 1;
  }

  /** Payload bytes as Zeek's orig_bytes/resp_bytes: highest seq or ack seen, less the ISN, SYN and FIN. */
  size(peer: ZeekEndpoint): number {
    if (this.prevState === 'SYN_SENT' && this.state === 'RESET' && peer.state === 'INACTIVE' && !this.noDataAcked()) {
      // A half-open connection found and aborted: its numbers say nothing about data.
      return 0;
    }
    const last = fullSeq(this.lastSeq, this.seqWraps);
    const ack = fullSeq(this.ackSeq, this.ackWraps);
    let size = (last > ack ? last : ack) - this.startSeq;
    if (size !== 0) size--;
    if (this.finCount > 0 && size !== 0) size--;
    // Zeek keeps this in a uint64: a negative result wraps.
    return size >= 0 ? size : Number(BigInt.asUintN(64, BigInt(size)));
  }
}
