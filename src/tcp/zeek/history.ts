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

/** A history, and the histories one more letter makes of it, each made once: adding a letter is then a
 * lookup by the letter, where building the longer string and looking it up among those kept cost a
 * string and its hash per letter. Connections repeat a few dozen histories, so they share them. */
class HistoryNode {
  private readonly longer = new Map<string, HistoryNode>();

  constructor(readonly text: string) {}

  then(letter: string): HistoryNode {
    let node = this.longer.get(letter);
    if (node === undefined) {
      node = new HistoryNode(this.text + letter);
      this.longer.set(letter, node);
      // Odd traffic can make histories without end: the tree is started anew past a limit (a history is
      // then only kept twice, never wrong).
      if (++made >= HISTORIES_KEPT) restart();
    }
    return node;
  }
}

const HISTORIES_KEPT = 4096;
let made = 0;
let empty = new HistoryNode('');

function restart(): void {
  made = 0;
  empty = new HistoryNode('');
}

export class ZeekHistory {
  private node = empty;
  /** Zeek's hist_seen bits. Not swapped when roles flip (neither does Zeek). */
  private seen = 0;

  get text(): string {
    return this.node.text;
  }

  /** Zeek's FlipRoles appends '^'. */
  markFlip(): void {
    this.node = this.node.then('^');
  }

  /** A lone SYN-ACK ('H') turned out to be the server's: Zeek's history becomes '^h'. */
  flipLoneSynAck(): void {
    this.node = empty.then('^').then('h');
  }

  add(code: string, isOrig: boolean): void {
    this.node = this.node.then(isOrig ? code : LOWER[code]);
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
