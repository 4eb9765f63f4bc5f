/** V8's full collection, for two kinds of garbage V8 left to itself collects late, when its heap next
 * fills, while we allocate on top. Once the capture is read, the replay's columns and objects are
 * garbage (half a gigabyte when 500,000 connections were open at the end): (b)'s peak varied from 875
 * to 1,008 MiB with when V8 collected them. And while it is read, each connection's objects outlive
 * the young generation (a closed connection is kept for 120 s of capture time) and die in the old one
 * when it retires: on (c), V8 let 170 MB of them pile up before it collected, once reading no longer
 * allocated fresh buffers (its peak went from 492 to 585 MB). Those die in the heap of the thread that
 * replays, so that thread collects them (see collectingEvery). `gc` is exposed once, in a context of
 * its own; the program's globals are untouched. Only an optimisation: a Node that no longer exposes it
 * this way just skips it. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Connections retired between two full collections while the capture is read. */
const COLLECT_EVERY_RETIRED = 250_000;

export const collectGarbage: () => void = (() => {
  let gc: unknown;
  return () => {
    if (gc === undefined) {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('typeof gc === "function" ? gc : null');
    }
    if (typeof gc === 'function') gc();
  };
})();

/** `onRetire`, with a full collection before every COLLECT_EVERY_RETIRED-th connection. */
export function collectingEvery<T>(onRetire: (conn: T) => void): (conn: T) => void {
  let retired = 0;
  return (conn) => {
    if (++retired === COLLECT_EVERY_RETIRED) {
      collectGarbage();
      retired = 0;
    }
    onRetire(conn);
  };
}
