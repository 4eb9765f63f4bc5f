import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../decode/tcp-packet';
import type { ZeekEndpoint } from './endpoint';

/**
 * Zeek's endpoint state machine (TCPSessionAdapter::Update*State), one handler per sender state.
 * Handlers change endpoint states and return what else the connection must do, as bits.
 */

/** Report the sender as closed (Zeek's do_close). */
export const FX_CLOSE = 1;
/** A pure SYN answered an earlier SYN-ACK: the roles were the wrong way round. */
export const FX_FLIP = 2;
/** The originator's first SYN: Zeek arms its 5 s connection-attempt timer. */
export const FX_ATTEMPT = 4;
/** A bare ACK after a SYN-ACK whose SYN was missed: treated as established, not partial. */
export const FX_MISSED_SYN = 8;

/** What a handler sees of the segment. One object, reused for every packet. */
export interface SegmentView {
  isOrig: boolean;
  flags: number;
  seq: number;
  payloadLen: number;
  /** State of the connection's originator when the segment arrived. */
  origState: ZeekEndpoint['state'];
}

export function onInactive(ep: ZeekEndpoint, peer: ZeekEndpoint, s: SegmentView): number {
  let fx = 0;
  if ((s.flags & TCP_SYN) !== 0) fx |= synFromInactive(ep, peer, s);
  fx |= closeOnFinOrRst(ep, s.flags);
  if (ep.state !== 'INACTIVE') return fx;
  // No control flag moved it.
  if (!s.isOrig && s.payloadLen === 0 && s.origState === 'SYN_SENT') {
    // Some stacks ack a SYN before answering it: not yet a partial connection.
  } else if ((s.flags & TCP_ACK) !== 0 && peer.state === 'ESTABLISHED') {
    ep.setState('ESTABLISHED');
    fx |= FX_MISSED_SYN;
  } else {
    ep.setState('PARTIAL');
  }
  return fx;
}

function synFromInactive(ep: ZeekEndpoint, peer: ZeekEndpoint, s: SegmentView): number {
  const ack = (s.flags & TCP_ACK) !== 0;
  if (s.isOrig) {
    ep.setState(ack ? 'SYN_ACK_SENT' : 'SYN_SENT');
    return FX_ATTEMPT;
  }
  let fx = 0;
  if (!ack && peer.state === 'SYN_ACK_SENT' && s.seq === ep.startSeq) {
    peer.setState('ESTABLISHED');
    fx = FX_FLIP;
  }
  if (peer.state === 'SYN_SENT') peer.setState('ESTABLISHED');
  ep.setState('ESTABLISHED');
  return fx;
}

export function onSynSent(ep: ZeekEndpoint, s: SegmentView): number {
  return closeOnFinOrRst(ep, s.flags);
}

/** A FIN closes the sender, a RST resets it (RST last: a packet with both ends RESET). */
function closeOnFinOrRst(ep: ZeekEndpoint, flags: number): number {
  let fx = 0;
  if ((flags & TCP_FIN) !== 0) {
    ep.setState('CLOSED');
    fx |= FX_CLOSE;
  }
  if ((flags & TCP_RST) !== 0) {
    ep.setState('RESET');
    fx |= FX_CLOSE;
  }
  return fx;
}

/** ESTABLISHED and PARTIAL. */
export function onEstablished(ep: ZeekEndpoint, peer: ZeekEndpoint, s: SegmentView): number {
  let fx = 0;
  const rst = (s.flags & TCP_RST) !== 0;
  if ((s.flags & TCP_SYN) !== 0 && (s.flags & TCP_ACK) === 0 && ep.state === 'PARTIAL' && peer.state === 'INACTIVE') {
    ep.setState('SYN_SENT');
  }
  if ((s.flags & TCP_FIN) !== 0 && !rst) {
    ep.setState('CLOSED');
    // The peer's FIN followed by its RST was a normal close after all.
    if (peer.state === 'RESET' && peer.prevState === 'CLOSED') peer.setState('CLOSED');
    fx |= FX_CLOSE;
  }
  if (rst) {
    ep.setState('RESET');
    fx |= FX_CLOSE;
  }
  return fx;
}

export function onClosed(ep: ZeekEndpoint, peer: ZeekEndpoint, s: SegmentView): number {
  // After a FIN exchange a RST changes nothing; after only our own FIN it resets us.
  if ((s.flags & TCP_RST) === 0 || peer.state === 'CLOSED') return 0;
  ep.setState('RESET');
  return ep.didClose ? 0 : FX_CLOSE;
}
