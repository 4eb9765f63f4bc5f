import type { SkipReason, TcpPacket } from './tcp-packet';

/** Which dispatch table routes the next header (`DecodeState.key` is the key in it). */
export const NEXT_ETHERTYPE = 1;
export const NEXT_IP_PROTOCOL = 2;
/** The TCP header was decoded: `out` is complete. */
export const NEXT_DONE = 3;

/** GRE and IP-in-IP levels followed before giving up ('tunnel-unsupported'). */
export const MAX_TUNNELS = 4;

/**
 * The cursor one packet's decoders share. One object is reused for every packet, so decoding
 * allocates nothing. A decoder reads the header at `off`, then advances `off` and sets
 * `next`/`key` (or returns a SkipReason).
 */
export interface DecodeState {
  data: Buffer;
  out: TcpPacket;
  /** Start of the header to decode. */
  off: number;
  /** End of the captured bytes of the current layer (the snaplen may cut before `end`). */
  capEnd: number;
  /**
   * End of the current layer on the wire: the record's original length at first, then what the
   * PPPoE and IP headers claim (only ever shrinking, like tshark's tvb). Lengths come from here,
   * not from capEnd.
   */
  end: number;
  next: number;
  key: number;
  tunnels: number;
  /** Whether the enclosing GRE header had a sequence number (tells ERSPAN type I from II). */
  greHasSequence: boolean;
}

export type Decoder = (s: DecodeState) => SkipReason | null;

export function newDecodeState(out: TcpPacket): DecodeState {
  return {
    data: Buffer.alloc(0), out, off: 0, capEnd: 0, end: 0,
    next: NEXT_ETHERTYPE, key: 0, tunnels: 0, greHasSequence: false,
  };
}
