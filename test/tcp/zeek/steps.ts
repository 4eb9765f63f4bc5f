import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../../src/decode/tcp-packet';
import { ZeekConnTracker } from '../../../src/tcp/zeek';

/** 'A' sends the first segment, 'B' is the other host. Zeek's orig/resp roles may differ and may flip. */
export type Side = 'A' | 'B';

/** [side, flags (letters S A F R P U), seq, ack, payload length, window, payload bytes captured]. */
export type Step = [
  side: Side, flags: string, seq: number, ack: number, len?: number, window?: number, captured?: number,
];

const FLAG_BITS: Readonly<Record<string, number>> = {
  S: TCP_SYN, A: TCP_ACK, F: TCP_FIN, R: TCP_RST, P: TCP_PSH, U: TCP_URG,
};

export function flagBits(letters: string): number {
  let bits = 0;
  for (const c of letters) bits |= FLAG_BITS[c] ?? 0;
  return bits;
}

/**
 * Feeds the steps the way the flow layer will: following the tracker when it flips the roles.
 * `after` sees the tracker after each step.
 */
export function runSteps(
  steps: readonly Step[], flippedAtStart = false, after?: (t: ZeekConnTracker) => void,
): ZeekConnTracker {
  const tracker = new ZeekConnTracker(flippedAtStart);
  let origSide: Side = flippedAtStart ? 'B' : 'A';
  for (const [side, flags, seq, ack, len = 0, window = 65535, captured = len] of steps) {
    tracker.update(side === origSide, flagBits(flags), seq >>> 0, ack >>> 0, len, window, 40 + len, captured);
    if (tracker.rolesFlipped) origSide = origSide === 'A' ? 'B' : 'A';
    after?.(tracker);
  }
  return tracker;
}

/** Endpoint states after each step, as `ORIG/RESP`. */
export function stateTrail(steps: readonly Step[], flippedAtStart = false): string[] {
  const trail: string[] = [];
  runSteps(steps, flippedAtStart, (t) => trail.push(`${t.origState}/${t.respState}`));
  return trail;
}

/** A's SYN at 100, B's SYN-ACK at 500, A's ACK. */
export const HANDSHAKE: readonly Step[] = [
  ['A', 'S', 100, 0],
  ['B', 'SA', 500, 101],
  ['A', 'A', 101, 501],
];
