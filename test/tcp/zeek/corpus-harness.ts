import { ZeekConnTracker, zeekFlipsFirstPacket } from '../../../src/tcp/zeek';
import { ZeekConnClock } from './zeek-clock';
import type { FlagsRow } from '../../support/oracle';

/** What we would log for one connection, in Zeek's conn.log terms. */
export interface OurConn {
  origH: string;
  origP: number;
  respH: string;
  respP: number;
  firstTs: number;
  lastTs: number;
  history: string;
  connState: string;
  origBytes: number;
  respBytes: number;
  origPkts: number;
  respPkts: number;
}

export interface GroupOptions {
  /** Apply Zeek's timers (inactivity, attempt, expire, close delay). Off only to mimic a starved timer queue. */
  timers: boolean;
  /** The capture kept no payload bytes (flags.tsv has no cap_len: the caller knows this per capture). */
  payloadCut?: boolean;
}

/** A connection being replayed: its endpoints and times as they will be logged, and Zeek's state. */
interface Live extends Pick<OurConn, 'origH' | 'origP' | 'respH' | 'respP' | 'firstTs' | 'lastTs'> {
  tracker: ZeekConnTracker;
  clock: ZeekConnClock;
}

/** Unordered 4-tuple: both directions of a connection share it, as in Zeek's connection key. */
function tupleKey(r: FlagsRow): string {
  const a = `${r.src}|${r.srcPort}`;
  const b = `${r.dst}|${r.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function finish(c: Live): OurConn {
  const t = c.tracker;
  return {
    origH: c.origH, origP: c.origP, respH: c.respH, respP: c.respP, firstTs: c.firstTs, lastTs: c.lastTs,
    history: t.history, connState: t.connState(), origBytes: t.origBytes, respBytes: t.respBytes,
    origPkts: t.origPkts, respPkts: t.respPkts,
  };
}

function start(r: FlagsRow): Live {
  const flip = zeekFlipsFirstPacket(r.flags, r.srcPort, r.dstPort);
  return {
    tracker: new ZeekConnTracker(flip),
    clock: new ZeekConnClock(r.ts),
    origH: flip ? r.dst : r.src,
    origP: flip ? r.dstPort : r.srcPort,
    respH: flip ? r.src : r.dst,
    respP: flip ? r.srcPort : r.dstPort,
    firstTs: r.ts,
    lastTs: r.ts,
  };
}

/**
 * Splits frames into connections as Zeek does: one per 4-tuple until a timer removes it or a SYN reuses the
 * tuple, then feeds each segment to a tracker. Window sizes are unknown (flags.tsv has none), so no W letters.
 * Returns connections in order of their first packet.
 */
export function zeekConnections(frames: readonly FlagsRow[], opts: GroupOptions): OurConn[] {
  const live = new Map<string, Live>();
  const done: OurConn[] = [];
  for (const r of frames) {
    const key = tupleKey(r);
    let c = live.get(key);
    if (c && ((opts.timers && c.clock.expiredBy(c.tracker, r.ts)) || c.tracker.isReuse(r.flags, r.seq))) {
      done.push(finish(c));
      c = undefined;
    }
    if (!c) {
      c = start(r);
      live.set(key, c);
    }
    const fromOrig = r.src === c.origH && r.srcPort === c.origP;
    c.tracker.update(fromOrig, r.flags, r.seq, r.ack, r.len, 65535, 0, opts.payloadCut ? 0 : r.len);
    c.clock.afterUpdate(c.tracker, r.ts);
    c.lastTs = r.ts;
    if (c.tracker.rolesFlipped) {
      [c.origH, c.respH] = [c.respH, c.origH];
      [c.origP, c.respP] = [c.respP, c.origP];
    }
  }
  for (const c of live.values()) done.push(finish(c));
  return done.sort((a, b) => a.firstTs - b.firstTs);
}
