/** Collects one unit (a pcapng block) of a known size from a stream of chunks. A unit lying inside
 * one chunk is a view of it (no copy); one spanning chunks is copied into a reused scratch buffer,
 * so memory stays bounded by the largest unit. Read the unit at `buffer[base ...]`. A unit that grew
 * (see grow) past the end of its chunk is still a view of that chunk until the next chunk is taken,
 * which copies it: the chunk before must be intact then (see inputChunks). */
export class ByteGatherer {
  private scratch = Buffer.alloc(0);
  /** The chunk the unit is a view of, or null when gathered in scratch. */
  private view: Buffer | null = null;
  private viewStart = 0;
  private size = 0;
  /** Bytes gathered so far. */
  filled = 0;

  /** Starts a new unit of `size` bytes. */
  begin(size: number): void {
    this.view = null;
    this.filled = 0;
    this.size = size;
  }

  /** Makes the current unit longer, keeping what was gathered (a block grows once its length is read). */
  grow(size: number): void {
    this.size = size;
  }

  get full(): boolean {
    return this.filled === this.size;
  }

  get buffer(): Buffer {
    return this.view ?? this.scratch;
  }

  get base(): number {
    return this.view ? this.viewStart : 0;
  }

  /** Takes what the unit still needs from `chunk` at `pos`; returns the position after it. */
  take(chunk: Buffer, pos: number): number {
    const want = this.size - this.filled;
    const n = Math.min(want, chunk.length - pos);
    if (n === want && (this.filled === 0 || (this.view === chunk && this.viewStart + this.filled === pos))) {
      if (this.filled === 0) {
        this.view = chunk;
        this.viewStart = pos;
      }
      this.filled = this.size;
      return pos + n;
    }
    if (n === 0) return pos;
    this.reserve(this.filled + n);
    chunk.copy(this.scratch, this.filled, pos, pos + n);
    this.filled += n;
    return pos + n;
  }

  /** Moves the unit into scratch, room for `needed` bytes. Grows by doubling, not to the announced size:
   * a lying length in a short file must not allocate what never arrives. */
  private reserve(needed: number): void {
    if (this.scratch.length < needed) {
      const bigger = Buffer.allocUnsafe(Math.min(this.size, Math.max(needed, 2 * this.scratch.length)));
      if (!this.view) this.scratch.copy(bigger, 0, 0, this.filled);
      this.scratch = bigger;
    }
    if (this.view) {
      this.view.copy(this.scratch, 0, this.viewStart, this.viewStart + this.filled);
      this.view = null;
    }
  }
}
