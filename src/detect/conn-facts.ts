/** Small questions detectors ask of a connection's event log. Pure, over the report's plain data. */
import { otherRole, type ConnEventType } from '../tcp/events';
import type { ConnectionCore, EventJson, Role } from '../tcp/connection-view';

export { otherRole };

// Loops, not filter and find with a callback: detectors ask these a few times for each of hundreds of
// thousands of connections, and each callback is a closure allocated per call.
export function events(conn: ConnectionCore, type: ConnEventType, by?: Role): EventJson[] {
  const log = conn.events;
  const found: EventJson[] = [];
  for (let i = 0; i < log.length; i++) if (log[i].type === type && (by === undefined || log[i].by === by)) found.push(log[i]);
  return found;
}

export function firstEvent(conn: ConnectionCore, type: ConnEventType, by?: Role): EventJson | undefined {
  const log = conn.events;
  for (let i = 0; i < log.length; i++) if (log[i].type === type && (by === undefined || log[i].by === by)) return log[i];
  return undefined;
}

/** The two FINs in the order they were sent (the first closer's first). */
export function finsInOrder(conn: ConnectionCore): { first: EventJson | undefined; second: EventJson | undefined } {
  const first = firstEvent(conn, 'fin');
  const second = first && firstEvent(conn, 'fin', otherRole(first.by));
  return { first, second };
}

/** The ACK that acknowledged `role`'s FIN. */
export function finAckOf(conn: ConnectionCore, role: Role): EventJson | undefined {
  return firstEvent(conn, 'fin-ack', otherRole(role));
}

/** Time of the last payload `role` sent, or null if it sent none. */
export function lastDataAt(conn: ConnectionCore, role: Role): EventJson | undefined {
  return firstEvent(conn, 'last-data', role);
}

/** The most frequent value (first seen on ties). */
export function majority<T>(values: T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/** A Wireshark display filter for exactly these frames. */
export function framesFilter(frames: number[]): string {
  const sorted = [...new Set(frames)].sort((a, b) => a - b);
  return sorted.length === 1 ? `frame.number == ${sorted[0]}` : `frame.number in {${sorted.join(' ')}}`;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
