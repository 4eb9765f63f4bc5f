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

/** One direction's reassembly state, kept by its endpoint (in its slot of columns: every connection has two,
 * and half a million can be open at once). */
export interface GapState {
  /** Everything below this has been delivered (or declared missing); starts at 1. */
  delivered: number;
  /** Everything below this has been acked and forgotten; starts at 1. */
  trimmed: number;
  /** Set once Zeek would give up reassembling this direction. */
  skipping: boolean;
  /** Undelivered blocks above `delivered`; made on the first (most directions never have one). */
  blocks: GapBlocks | null;
}

/** Undelivered blocks [lo, hi), sorted and disjoint. */
export class GapBlocks {
  readonly lo = new Float64Array(MAX_BLOCKS);
  readonly hi = new Float64Array(MAX_BLOCKS);
  count = 0;

  removeFirst(): void {
    this.lo.copyWithin(0, 1, this.count);
    this.hi.copyWithin(0, 1, this.count);
    this.count--;
  }
}

/** Payload [seq, seq + len) seen; `acked` is how far the peer has acked this direction. */
export function gapDataSent(g: GapState, seq: number, len: number, acked: number, noDataAcked: boolean): void {
  if (g.skipping) return;
  let lo = seq;
  const hi = seq + len;
  if (lo < acked) {
    if (hi <= acked) return;
    lo = acked;
  }
  const trimmed = g.trimmed;
  if (hi <= trimmed) return;
  if (lo < trimmed) lo = trimmed;
  const delivered = g.delivered;
  if (hi > delivered) insert(g, lo > delivered ? lo : delivered, hi);
  if (noDataAcked && aboveHole(g) > MAX_ABOVE_HOLE_WITHOUT_ACKS) giveUp(g);
  else if (g.delivered - trimmed + undeliveredBytes(g) > MAX_UNACKED_DATA) giveUp(g);
}

/**
 * The peer acked up to `ack` (relative). Returns how many holes that revealed: each is one Zeek Gap() call.
 * `finSeq` is this direction's relative seq past its FIN, if it sent one; `partial` is Zeek's is_partial.
 */
export function gapAckReceived(g: GapState, ack: number, sentFin: boolean, finSeq: number, partial: boolean): number {
  // An ack of the FIN octet is not an ack of data.
  const upTo = sentFin && ack >= finSeq ? finSeq - 1 : ack;
  if (upTo <= g.trimmed) return 0;
  let holes = 0;
  if (upTo > g.delivered) {
    // A partial connection's first ack points at our guessed ISN + 1 or + 2: not a gap.
    if (upTo <= 2 && partial) {
      g.trimmed = upTo;
      return 0;
    }
    if (!g.skipping) holes = deliverAcked(g, upTo);
    if (upTo > g.delivered) g.delivered = upTo;
  }
  dropBelow(g, upTo);
  g.trimmed = upTo;
  return holes;
}

/** Deliver blocks below `upTo`, counting the holes in front of them and the one at the end. */
function deliverAcked(g: GapState, upTo: number): number {
  let holes = 0;
  const b = g.blocks;
  while (b !== null && b.count > 0 && b.lo[0] < upTo) {
    holes++;
    g.delivered = b.lo[0];
    advance(g, b);
  }
  if (upTo > g.delivered) holes++;
  return holes;
}

function insert(g: GapState, lo: number, hi: number): void {
  if (lo === g.delivered) {
    g.delivered = hi;
    if (g.blocks !== null) advance(g, g.blocks);
    return;
  }
  addBlock(g.blocks ??= new GapBlocks(), lo, hi);
}

/** Move `delivered` through the blocks that now touch it. */
function advance(g: GapState, b: GapBlocks): void {
  let delivered = g.delivered;
  while (b.count > 0 && b.lo[0] <= delivered) {
    if (b.hi[0] > delivered) delivered = b.hi[0];
    b.removeFirst();
  }
  g.delivered = delivered;
}

function addBlock(b: GapBlocks, lo: number, hi: number): void {
  const los = b.lo;
  const his = b.hi;
  // Merge with every block it touches, then insert in order.
  let i = 0;
  while (i < b.count && his[i] < lo) i++;
  let j = i;
  let newLo = lo;
  let newHi = hi;
  while (j < b.count && los[j] <= hi) {
    if (los[j] < newLo) newLo = los[j];
    if (his[j] > newHi) newHi = his[j];
    j++;
  }
  const merged = j - i;
  if (merged === 0 && b.count === MAX_BLOCKS) return;
  los.copyWithin(i + 1, j, b.count);
  his.copyWithin(i + 1, j, b.count);
  los[i] = newLo;
  his[i] = newHi;
  b.count += 1 - merged;
}

function dropBelow(g: GapState, seq: number): void {
  const b = g.blocks;
  while (b !== null && b.count > 0 && b.hi[0] <= seq) b.removeFirst();
}

function aboveHole(g: GapState): number {
  const b = g.blocks;
  return b !== null && b.count > 0 ? b.hi[b.count - 1] - g.delivered : 0;
}

function undeliveredBytes(g: GapState): number {
  const b = g.blocks;
  let bytes = 0;
  for (let i = 0; b !== null && i < b.count; i++) bytes += b.hi[i] - b.lo[i];
  return bytes;
}

function giveUp(g: GapState): void {
  g.skipping = true;
  if (g.blocks !== null) g.blocks.count = 0;
}
