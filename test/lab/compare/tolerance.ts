import type { Truth } from '../truth-model';

/** How far a wire time may lie outside the snapshots that bracket the kernel's change: a snapshot is
 * only known within ±max_spread_s (the time ss ran); the capture is taken at the server's link, so
 * the client's kernel sees each packet one wire delay later than the capture does; and 10 ms for
 * scheduling between a kernel's change and tcpdump's timestamp. */
export function marginS(truth: Truth): number {
  return truth.poll.max_spread_s + (truth.lab.wire?.delayMs ?? 0) / 1000 + 0.01;
}

/** The analyzer enters CLOSE_WAIT when the side acknowledges the FIN, the kernel when the FIN
 * arrives; Linux may delay that ACK by up to 200 ms (TCP_DELACK_MAX). */
export const DELAYED_ACK_MAX_S = 0.2;

/** "Did nothing for a long time" for the accept-queue comparison: four snapshots. */
export const LONG_WAIT_S = 1;
