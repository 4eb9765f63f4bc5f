import { type Decoder, newDecodeState, NEXT_DONE, NEXT_ETHERTYPE } from './decode-state';
import { ethertypeDecoders, ipProtocolDecoders, linkDecoders } from './dispatch-table';
import { newTcpPacket, type SkipReason, type TcpPacket } from './tcp-packet';

/** Headers followed per packet at most; VLAN tags and tunnels are each one. */
const MAX_LAYERS = 32;

const state = newDecodeState(newTcpPacket());

/**
 * Decodes one captured frame down to its TCP header. Returns null when `out` holds a usable TCP
 * segment, or why the frame is not one (then `out` is partly overwritten: ignore it).
 * `out.bytes` is `data`: copy the address bytes before the caller reuses the buffer.
 * Never throws and allocates nothing, whatever the bytes.
 */
export function decodePacket(linkType: number, data: Buffer, origLen: number, out: TcpPacket): SkipReason | null {
  return decodeRecord(linkType, data, 0, data.length, origLen, out);
}

/** decodePacket of the frame at bytes[start ... start + caplen] (a capture record where it lies in its
 * chunk): `out`'s offsets are into `bytes`. */
export function decodeRecord(linkType: number, bytes: Buffer, start: number, caplen: number, origLen: number, out: TcpPacket): SkipReason | null {
  if (caplen === 0) return 'empty-packet';
  let decoder: Decoder | undefined = linkDecoders.get(linkType);
  if (decoder === undefined) return 'unknown-link-type';
  const s = state;
  s.data = bytes;
  s.out = out;
  s.off = start;
  s.capEnd = start + caplen;
  s.end = start + (origLen > caplen ? origLen : caplen);
  s.tunnels = 0;
  s.greHasSequence = false;
  out.bytes = bytes;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const reason = decoder(s);
    if (reason !== null) return reason;
    if (s.next === NEXT_DONE) return null;
    if (s.next === NEXT_ETHERTYPE) {
      decoder = ethertypeDecoders.get(s.key);
      if (decoder === undefined) return 'not-ip';
    } else {
      decoder = ipProtocolDecoders.get(s.key);
      if (decoder === undefined) return 'not-tcp';
    }
  }
  return 'tunnel-unsupported';
}
