/**
 * Zeek's connection history string (Conn.h CheckHistory/AddHistory, TCP_Endpoint.cc): upper case for the
 * originator, lower case for the responder. 'C' (bad checksum) is never produced here: a checksum needs the
 * packet bytes, and the tracker only sees header fields.
 */

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

/** Histories, and the history one more letter makes of each: each history made once, and adding a letter
 * a lookup by the history (a string that has hashed once) and the letter. Building the longer string and
 * looking it up among those kept instead cost a new string and its hash per letter. Connections repeat a
 * few dozen histories, and each connection open held its own copy before they were kept once (about 30
 * bytes). Emptied when it holds HISTORIES_KEPT, so that odd traffic cannot grow it: connections hold
 * only the strings, and a history made again is only kept twice, never wrong. */
class HistoryTable {
  private readonly longer = new Map<string, Map<string, string>>();
  private kept = 0;

  then(history: string, letter: string): string {
    let byLetter = this.longer.get(history);
    let next = byLetter?.get(letter);
    if (next !== undefined) return next;
    if (this.kept >= HISTORIES_KEPT) {
      this.longer.clear();
      this.kept = 0;
      byLetter = undefined;
    }
    if (byLetter === undefined) {
      byLetter = new Map();
      this.longer.set(history, byLetter);
    }
    next = history + letter;
    byLetter.set(letter, next);
    this.kept++;
    return next;
  }
}

const HISTORIES_KEPT = 4096;
const histories = new HistoryTable();

/** A connection's history: its letters and Zeek's hist_seen bits (not swapped when roles flip; neither
 * does Zeek). Kept in the tracker's own fields, not an object of its own: that was 40 bytes more for each
 * of half a million connections open. */
export interface ZeekHistory {
  history: string;
  historySeen: number;
}

/** Zeek's FlipRoles appends '^'. */
export function markFlip(h: ZeekHistory): void {
  h.history = histories.then(h.history, '^');
}

export function addHistory(h: ZeekHistory, code: string, isOrig: boolean): void {
  h.history = histories.then(h.history, isOrig ? code : LOWER[code]);
}

/** Adds the letter the first time for this direction; returns whether it had been seen before. */
export function checkHistory(h: ZeekHistory, mask: number, code: string, isOrig: boolean): boolean {
  const bit = isOrig ? mask : mask << 16;
  if ((h.historySeen & bit) !== 0) return true;
  h.historySeen |= bit;
  addHistory(h, code, isOrig);
  return false;
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
