/** Strings many records share (listeners, client addresses, conn_state, history), each kept once and
 * referred to by number in typed columns. */
export class StringTable {
  private readonly strings: string[] = [];
  private readonly numbers = new Map<string, number>();

  /** The number of `value`, given it the first time it is seen. */
  numberOf(value: string): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.strings.length;
      // Kept to the end: a string made by joining pieces is, in V8, a tree of them until a character is read.
      value.charCodeAt(0);
      this.strings.push(value);
      this.numbers.set(value, n);
    }
    return n;
  }

  at(n: number): string {
    return this.strings[n];
  }
}
