/** Strings kept once each, so that the many holders of an equal value (connections of one address, of one
 * Zeek history) share one copy instead of each keeping its own. Emptied when it holds `limit` strings, so
 * that odd traffic cannot grow it without bound: a string dropped is only kept twice, never wrong. */
export class SharedStrings {
  private readonly kept = new Map<string, string>();

  constructor(private readonly limit: number) {}

  /** The copy of `s` already kept, or `s` itself, kept from now on. */
  share(s: string): string {
    const kept = this.kept.get(s);
    if (kept !== undefined) return kept;
    if (this.kept.size >= this.limit) this.kept.clear();
    this.kept.set(s, s);
    return s;
  }
}
