/** Zeek's connection timers, for the corpus harness only: tcpteardown keeps Wireshark's connections (no
 * timer splits), so this model serves to drive the tracker exactly as Zeek would when comparing with its logs. */
import { EV_ATTEMPT, EV_CLOSE_COMPLETE, EV_CLOSE_PENDING, EV_TOUCHED, type ZeekConnTracker } from '../../../src/tcp/zeek/tracker';

/** Zeek's TCP timer defaults (init-bare.zeek), in seconds. */
const TCP_SYN_TIMEOUT = 5;
const TCP_SESSION_TIMER = 6;
const TCP_CONNECTION_LINGER = 5;
const TCP_ATTEMPT_DELAY = 5;
const TCP_CLOSE_DELAY = 5;
/** An expire timer is armed at start and after each half close; at most three are ever pending. */
const MAX_EXPIRE_TIMERS = 3;

/**
 * When Zeek forgets a connection, so the same 4-tuple starts a new one: the inactivity timeout, the
 * connection-attempt timer, the expire timer and the close delay. Timers fire as capture time reaches
 * them, before the next packet is looked at, just as Zeek advances its timers before each packet.
 * Not modelled: timers that only run when a script handles their event (partial close, reset delay).
 */
export class ZeekConnClock {
  private lastTime: number;
  private attemptAt = Infinity;
  private deleteAt = Infinity;
  private readonly expireAt = new Float64Array(MAX_EXPIRE_TIMERS).fill(Infinity);
  /** false once the close is complete: Zeek cancels the analyzer timers then. */
  private active = true;

  constructor(startTs: number) {
    this.lastTime = startTs;
    this.expireAt[0] = startTs + TCP_SYN_TIMEOUT;
  }

  /** Call before feeding a packet at `ts`: true when Zeek would already have removed the connection. */
  expiredBy(tracker: ZeekConnTracker, ts: number): boolean {
    if (this.deleteAt <= ts) return true;
    if (this.lastTime + tracker.inactivityTimeoutSec <= ts) return true;
    if (!this.active) return false;
    if (this.attemptAt <= ts) {
      // The attempt timer fires once: answered by then, the connection stays.
      this.attemptAt = Infinity;
      if (attemptUnanswered(tracker)) return true;
    }
    for (let i = 0; i < MAX_EXPIRE_TIMERS; i++) {
      if (this.expireAt[i] > ts) continue;
      if (this.lastTime + TCP_CONNECTION_LINGER < ts && finished(tracker)) return true;
      this.expireAt[i] = ts + TCP_SESSION_TIMER;
    }
    return false;
  }

  /** Call after `tracker.update()` with the same packet time. */
  afterUpdate(tracker: ZeekConnTracker, ts: number): void {
    const ev = tracker.events;
    if ((ev & EV_TOUCHED) !== 0) this.lastTime = ts;
    if ((ev & EV_CLOSE_COMPLETE) !== 0) {
      // Every complete close re-arms the delete timer from the latest activity.
      this.active = false;
      this.deleteAt = this.lastTime + TCP_CLOSE_DELAY;
      return;
    }
    if (!this.active) return;
    if ((ev & EV_ATTEMPT) !== 0) this.attemptAt = ts + TCP_ATTEMPT_DELAY;
    if ((ev & EV_CLOSE_PENDING) !== 0) {
      const free = this.expireAt.indexOf(Infinity);
      if (free >= 0) this.expireAt[free] = this.lastTime + TCP_SESSION_TIMER;
    }
  }
}

/** AttemptTimer: the originator's SYN got no answer at all. */
function attemptUnanswered(t: ZeekConnTracker): boolean {
  return (t.origState === 'SYN_SENT' || t.origState === 'SYN_ACK_SENT') && t.respState === 'INACTIVE';
}

/** ExpireTimer after the linger time: closed both ways, or reset, or one side never heard from. */
function finished(t: ZeekConnTracker): boolean {
  if (t.origClosed || t.respClosed) {
    if (t.origClosed && t.respClosed) return true;
    if (t.origState === 'RESET' || t.respState === 'RESET') return true;
    if (t.origState === 'INACTIVE' || t.respState === 'INACTIVE') return true;
  }
  return t.origState === 'INACTIVE' && t.respState === 'INACTIVE';
}
