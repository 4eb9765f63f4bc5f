/**
 * What Zeek's TCP reassembler knows about one direction's data, reduced to what decides a content gap
 * (history G): which relative sequence ranges arrived, and how far the peer's ACKs have reached.
 * A gap is an acked range that never arrived (TCP_Reassembler::Undelivered). Relative seqs start at 1.
 */

/** Out-of-order blocks kept per direction; beyond this a new out-of-order block is dropped (reads as missing). */
const MAX_BLOCKS = 16;
/** tcp_max_above_hole_without_any_acks: past this, Zeek stops reassembling (and reporting gaps). */
const MAX_ABOVE_HOLE_WITHOUT_ACKS = 16384;
/** tcp_excessive_data_without_further_acks. */
const MAX_UNACKED_DATA = 10 * 1024 * 1024;

export class GapTracker {
  /** Everything below this has been delivered (or declared missing). */
  private delivered = 1;
  /** Everything below this has been acked and forgotten. */
  private trimmed = 1;
  /** Set once Zeek would give up reassembling this direction. */
  private skipping = false;
  /** Undelivered blocks [lo, hi), sorted and disjoint, all above `delivered`; allocated on first need. */
  private lo: Float64Array | null = null;
  private hi: Float64Array | null = null;
  private count = 0;

  /** Payload [seq, seq + len) seen; `acked` is how far the peer has acked this direction. */
  dataSent(seq: number, len: number, acked: number, noDataAcked: boolean): void {
    if (this.skipping) return;
    let lo = seq;
    const hi = seq + len;
    if (lo < acked) {
      if (hi <= acked) return;
      lo = acked;
    }
    if (hi <= this.trimmed) return;
    if (lo < this.trimmed) lo = this.trimmed;
    if (hi > this.delivered) this.insert(lo > this.delivered ? lo : this.delivered, hi);
    if (noDataAcked && this.aboveHole() > MAX_ABOVE_HOLE_WITHOUT_ACKS) this.giveUp();
    else if (this.delivered - this.trimmed + this.undeliveredBytes() > MAX_UNACKED_DATA) this.giveUp();
  }

  /**
   * The peer acked up to `ack` (relative). Returns how many holes that revealed: each is one Zeek Gap() call.
   * `finSeq` is this direction's relative seq past its FIN, if it sent one; `partial` is Zeek's is_partial.
   */
  ackReceived(ack: number, sentFin: boolean, finSeq: number, partial: boolean): number {
    // An ack of the FIN octet is not an ack of data.
    const upTo = sentFin && ack >= finSeq ? finSeq - 1 : ack;
    if (upTo <= this.trimmed) return 0;
    let holes = 0;
    if (upTo > this.delivered) {
      // A partial connection's first ack points at our guessed ISN + 1 or + 2: not a gap.
      if (upTo <= 2 && partial) {
        this.trimmed = upTo;
        return 0;
      }
      if (!this.skipping) holes = this.deliverAcked(upTo);
      if (upTo > this.delivered) this.delivered = upTo;
    }
    this.dropBelow(upTo);
    this.trimmed = upTo;
    return holes;
  }

  /** Deliver blocks below `upTo`, counting the holes in front of them and the one at the end. */
  private deliverAcked(upTo: number): number {
    let holes = 0;
    while (this.count > 0 && this.lo![0] < upTo) {
      holes++;
      this.delivered = this.lo![0];
      this.advance();
    }
    if (upTo > this.delivered) holes++;
    return holes;
  }

  private insert(lo: number, hi: number): void {
    if (lo === this.delivered) {
      this.delivered = hi;
      this.advance();
      return;
    }
    this.addBlock(lo, hi);
  }

  /** Move `delivered` through the blocks that now touch it. */
  private advance(): void {
    while (this.count > 0 && this.lo![0] <= this.delivered) {
      if (this.hi![0] > this.delivered) this.delivered = this.hi![0];
      this.removeFirst();
    }
  }

  private addBlock(lo: number, hi: number): void {
    if (this.lo === null || this.hi === null) {
      this.lo = new Float64Array(MAX_BLOCKS);
      this.hi = new Float64Array(MAX_BLOCKS);
    }
    const los = this.lo;
    const his = this.hi;
    // Merge with every block it touches, then insert in order.
    let i = 0;
    while (i < this.count && his[i] < lo) i++;
    let j = i;
    let newLo = lo;
    let newHi = hi;
    while (j < this.count && los[j] <= hi) {
      if (los[j] < newLo) newLo = los[j];
      if (his[j] > newHi) newHi = his[j];
      j++;
    }
    const merged = j - i;
    if (merged === 0 && this.count === MAX_BLOCKS) return;
    los.copyWithin(i + 1, j, this.count);
    his.copyWithin(i + 1, j, this.count);
    los[i] = newLo;
    his[i] = newHi;
    this.count += 1 - merged;
  }

  private dropBelow(seq: number): void {
    while (this.count > 0 && this.hi![0] <= seq) this.removeFirst();
  }

  private removeFirst(): void {
    this.lo!.copyWithin(0, 1, this.count);
    this.hi!.copyWithin(0, 1, this.count);
    this.count--;
  }

  private aboveHole(): number {
    return this.count > 0 ? this.hi![this.count - 1] - this.delivered : 0;
  }

  private undeliveredBytes(): number {
    let bytes = 0;
    for (let i = 0; i < this.count; i++) bytes += this.hi![i] - this.lo![i];
    return bytes;
  }

  private giveUp(): void {
    this.skipping = true;
    this.count = 0;
  }
}
