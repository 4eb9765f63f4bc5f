/** Per-segment sequence bookkeeping of Zeek's TCP analyzer: ISNs, highest seq and ack, retransmissions. */

import { TCP_FIN, TCP_RST, TCP_SYN } from '../../decode/tcp-packet';
import type { ZeekEndpoint } from './endpoint';
import { seqAdd, seqDiff } from '../../flow/seq';

/** Zeek ignores ack and SYN/RST sequence jumps larger than this (TOO_LARGE_SEQ_DELTA). */
const TOO_LARGE_SEQ_DELTA = 1048576;

/** init_endpoint: set up (or restart) the sender's sequence space. */
export function initEndpoint(ep: ZeekEndpoint, syn: boolean, seq: number, end: number): void {
  switch (ep.state) {
    case 'INACTIVE':
      // Without a SYN, pretend one came just before so relative numbering starts at 1.
      if (syn) ep.initSeqs(seq, end);
      else ep.initSeqs(seq - 1, seq);
      return;
    case 'SYN_SENT':
    case 'SYN_ACK_SENT':
      if (syn && seq !== ep.startSeq) ep.initSeqs(seq, end);
      return;
    case 'ESTABLISHED':
    case 'PARTIAL':
      // A SYN inside the connection: guess that this one really sets it up.
      if (syn) ep.initSeqs(seq, end);
      return;
    case 'RESET':
      // Seqs that came from a (possibly spoofed) RST give way to a real SYN.
      if (syn && ep.prevState === 'INACTIVE') ep.initSeqs(seq, end);
      return;
    case 'CLOSED':
      return;
  }
}

/** The ACK's position in the peer's space, and the peer's highest ack moved forward. 0 when unusable. */
export function noteAck(peer: ZeekEndpoint, ack: number, rst: boolean): number {
  if (peer.state === 'INACTIVE') {
    // First sign of the peer: start its numbering as if its SYN had been seen.
    peer.initSeqs(ack - 1, ack - 1);
    return 1;
  }
  const rel = peer.relativeSeq(ack, peer.ackSeq, peer.ackWraps);
  if (rel < 0) return 0;
  // A RST's ack is not trusted; an ack of 0 far ahead is more likely broken than wrapped.
  const delta = seqDiff(peer.ackSeq, ack);
  if (!rst && delta > 0 && !(ack === 0 && delta > TOO_LARGE_SEQ_DELTA)) peer.updateAckSeq(ack);
  return rel;
}

/**
 * update_last_seq: move the sender's highest seq forward. Returns true for a retransmission (data that does
 * not advance it), which Zeek counts for the T letter.
 */
export function advanceLastSeq(ep: ZeekEndpoint, end: number, flags: number, payloadLen: number): boolean {
  const delta = seqDiff(ep.lastSeq, end);
  const synOrRst = (flags & (TCP_SYN | TCP_RST)) !== 0;
  if (synOrRst && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) return false;
  if ((flags & TCP_FIN) !== 0 && ep.lastSeq === seqAdd(ep.startSeq, 1)) {
    // Only the SYN and the FIN seen: trust the FIN, even backwards (a > 2 GB transfer).
    ep.updateLastSeq(end);
    return false;
  }
  if (ep.state === 'RESET') return false;
  if (delta > 0) {
    ep.updateLastSeq(end);
    return false;
  }
  return payloadLen > 0;
}
