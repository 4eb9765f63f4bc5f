/** The main thread has caught up once the connection ring is this many times less full than behindFill. */
const CAUGHT_UP = 8;

/** Whether the main thread is behind with the connection ring, asked as the replay thread puts each
 * connection (see replay-worker.ts): from when the ring is `behindFill` full (at the end of a capture
 * every connection still held retires at once) until it is nearly empty again. Judged by the fill alone,
 * the ring hovered at the mark, and each time the main thread took it below, the replay thread, otherwise
 * waiting for room, put a connection without its findings and line (170,717 of the 267,752 connections
 * retiring on bench (b)). */
export class MainBehind {
  private behind = false;

  /** `behindFill`: from 0 to 1 (tests take 0, always behind, or more than 1, never). */
  constructor(private readonly behindFill: number) {}

  /** Whether the main thread is behind, the ring now `fill` full (0 to 1). */
  at(fill: number): boolean {
    if (fill >= this.behindFill) this.behind = true;
    else if (fill <= this.behindFill / CAUGHT_UP) this.behind = false;
    return this.behind;
  }
}
