/**
 * Zeek's connection history string (Conn.h CheckHistory/AddHistory, TCP_Endpoint.cc): upper case for the
 * originator, lower case for the responder. 'C' (bad checksum) is never produced here: a checksum needs the
 * packet bytes, and the tracker only sees header fields.
 */

import { SharedStrings } from '../../flow/shared-strings';

/** Once-per-direction letters share one bit each; the responder's bits sit 16 higher. */
export const HIST_SYN = 0x1;
export const HIST_FIN = 0x2;
export const HIST_RST = 0x4;
export const HIST_FIN_RST = 0x8;
export const HIST_DATA = 0x10;
export const HIST_ACK = 0x20;
export const HIST_MULTI_FLAG = 0x40;

const LOWER: Readonly<Record<string, string>> = {
  S: 's', H: 'h', F: 'f', R: 'r', I: 'i', Q: 'q', D: 'd', A: 'a', T: 't', W: 'w', G: 'g',
};

const MAX_U32 = 0xffff_ffff;

/** Histories seen, each kept once: connections repeat a few dozen histories, and each connection open held
 * its own copy (about 30 bytes). */
const histories = new SharedStrings(4096);

export class ZeekHistory {
  text = '';
  /** Zeek's hist_seen bits. Not swapped when roles flip (neither does Zeek). */
  private seen = 0;

  /** Zeek's FlipRoles appends '^'. */
  markFlip(): void {
    this.text = histories.share(`${this.text}^`);
  }

  add(code: string, isOrig: boolean): void {
    this.text = histories.share(this.text + (isOrig ? code : LOWER[code]));
  }

  /** Adds the letter the first time for this direction; returns whether it had been seen before. */
  check(mask: number, code: string, isOrig: boolean): boolean {
    const bit = isOrig ? mask : mask << 16;
    if ((this.seen & bit) !== 0) return true;
    this.seen |= bit;
    this.add(code, isOrig);
    return false;
  }
}

/** Zeek's ScaledHistoryEntry: T, W and G letters are added when a count reaches 1, 10, 100, ... */
export class LogScaleCounter {
  private count = 0;
  private threshold = 1;

  /** Counts one event; true when this one earns a history letter. */
  step(): boolean {
    if (++this.count !== this.threshold) return false;
    const next = this.threshold * 10;
    // Zeek's uint32 threshold would wrap: it restarts the count instead.
    if (next > MAX_U32) this.count = 0;
    else this.threshold = next;
    return true;
  }
}
