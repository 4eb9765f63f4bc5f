/** A connection view's JSON line written straight into bytes: the bytes of JSON.stringify(view) in
 * UTF-8, without the string. On bench (a) the views' JSON is half a gigabyte; JSON.stringify and then
 * Buffer.write took 213 ms per 21,176 views of (a)/10 against 125 ms here, most of it in formatting
 * numbers, and left a 2.5 KB string per connection for the collector. */
import type { ConnEvent } from '../tcp/events';
import type { ConnectionJson, PerRole, StateChangeJson } from '../tcp/connection-view';

/** Each field's text up to its value, in the order connectionJson makes them (JSON.stringify's order);
 * listed by key so that the compiler notices a field added to or taken from the view. */
const VIEW = {
  id: '{"id":', client: ',"client":', server: ',"server":', start: ',"start":', end: ',"end":', duration_s: ',"duration_s":',
  first_frame: ',"first_frame":', last_frame: ',"last_frame":', partial: ',"partial":', previous: ',"previous":',
  packets: ',"packets":', bytes: ',"bytes":', payload_bytes: ',"payload_bytes":', conn_state: ',"conn_state":',
  history: ',"history":', ending: ',"ending":', final_state: ',"final_state":', states: ',"states":', events: ',"events":',
  filter: ',"filter":',
} satisfies Record<keyof ConnectionJson, string>;
const EVENT = {
  type: '{"type":', by: ',"by":', at: ',"at":', frame: ',"frame":', seq: ',"seq":', ack: ',"ack":', len: ',"len":',
  rst_with_ack: ',"rst_with_ack":', rst_seq_fit: ',"rst_seq_fit":', idle_s: ',"idle_s":',
} satisfies Record<keyof ConnEvent, string>;
const STATE = { state: '{"state":', at: ',"at":', frame: ',"frame":', inferred: ',"inferred":' } satisfies Record<keyof StateChangeJson, string>;
const ROLE = { client: '{"client":', server: ',"server":' } satisfies Record<keyof PerRole<unknown>, string>;

const FIRST_BYTES = 16 << 10;
/** Fractions are written from integers in millionths: capture times have microseconds. */
const MILLIONTHS = 1e6;
/** Below this, two numbers a millionth apart are never the same double (its spacing is at most 2^-20). */
const MILLIONTHS_EXACT_BELOW = 2 ** 33;
/** The most digits a number takes in JSON (-1.2345678901234567e-123). */
const NUMBER_ROOM = 25;

export class ConnectionLineWriter {
  /** The line is bytes 0 to write()'s result; the next write reuses them. */
  bytes = Buffer.allocUnsafe(FIRST_BYTES);
  private pos = 0;

  write(v: ConnectionJson): number {
    this.pos = 0;
    this.ascii(VIEW.id); this.number(v.id);
    this.ascii(VIEW.client); this.string(v.client);
    this.ascii(VIEW.server); this.string(v.server);
    this.ascii(VIEW.start); this.number(v.start);
    this.ascii(VIEW.end); this.number(v.end);
    this.ascii(VIEW.duration_s); this.number(v.duration_s);
    this.ascii(VIEW.first_frame); this.number(v.first_frame);
    this.ascii(VIEW.last_frame); this.number(v.last_frame);
    this.ascii(VIEW.partial); this.boolean(v.partial);
    this.ascii(VIEW.previous); this.nullable(v.previous);
    this.ascii(VIEW.packets); this.counts(v.packets);
    this.ascii(VIEW.bytes); this.counts(v.bytes);
    this.ascii(VIEW.payload_bytes); this.counts(v.payload_bytes);
    this.ascii(VIEW.conn_state); this.string(v.conn_state);
    this.ascii(VIEW.history); this.string(v.history);
    this.ascii(VIEW.ending); this.string(v.ending);
    this.ascii(VIEW.final_state);
    this.ascii(ROLE.client); this.nullableString(v.final_state.client);
    this.ascii(ROLE.server); this.nullableString(v.final_state.server);
    this.ascii('}');
    this.ascii(VIEW.states);
    this.ascii(ROLE.client); this.states(v.states.client);
    this.ascii(ROLE.server); this.states(v.states.server);
    this.ascii('}');
    this.ascii(VIEW.events);
    this.ascii('[');
    for (let i = 0; i < v.events.length; i++) {
      if (i > 0) this.ascii(',');
      this.event(v.events[i]);
    }
    this.ascii(']');
    this.ascii(VIEW.filter); this.string(v.filter);
    this.ascii('}');
    return this.pos;
  }

  private counts(c: PerRole<number>): void {
    this.ascii(ROLE.client); this.number(c.client);
    this.ascii(ROLE.server); this.number(c.server);
    this.ascii('}');
  }

  private states(list: StateChangeJson[]): void {
    this.ascii('[');
    for (let i = 0; i < list.length; i++) {
      const s = list[i];
      if (i > 0) this.ascii(',');
      this.ascii(STATE.state); this.string(s.state);
      this.ascii(STATE.at); this.number(s.at);
      this.ascii(STATE.frame); this.number(s.frame);
      if (s.inferred !== undefined) { this.ascii(STATE.inferred); this.boolean(s.inferred); }
      this.ascii('}');
    }
    this.ascii(']');
  }

  private event(e: ConnEvent): void {
    this.ascii(EVENT.type); this.string(e.type);
    this.ascii(EVENT.by); this.string(e.by);
    this.ascii(EVENT.at); this.number(e.at);
    this.ascii(EVENT.frame); this.number(e.frame);
    this.ascii(EVENT.seq); this.number(e.seq);
    this.ascii(EVENT.ack); this.number(e.ack);
    this.ascii(EVENT.len); this.number(e.len);
    if (e.rst_with_ack !== undefined) { this.ascii(EVENT.rst_with_ack); this.boolean(e.rst_with_ack); }
    if (e.rst_seq_fit !== undefined) { this.ascii(EVENT.rst_seq_fit); this.string(e.rst_seq_fit); }
    if (e.idle_s !== undefined) { this.ascii(EVENT.idle_s); this.number(e.idle_s); }
    this.ascii('}');
  }

  private room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.pos + n));
    this.bytes.copy(grown, 0, 0, this.pos);
    this.bytes = grown;
  }

  /** Text known to be ASCII and to need no escaping. */
  private ascii(s: string): void {
    this.room(s.length);
    const b = this.bytes;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  private boolean(x: boolean): void {
    this.ascii(x ? 'true' : 'false');
  }

  private nullable(x: number | null): void {
    if (x === null) this.ascii('null');
    else this.number(x);
  }

  private nullableString(x: string | null): void {
    if (x === null) this.ascii('null');
    else this.string(x);
  }

  /** Printable ASCII is copied; anything else (quotes, controls, non-ASCII) is left to JSON.stringify. */
  private string(s: string): void {
    this.room(s.length + 2);
    const b = this.bytes;
    let p = this.pos;
    b[p++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
        this.utf8(JSON.stringify(s));
        return;
      }
      b[p++] = c;
    }
    b[p++] = 0x22;
    this.pos = p;
  }

  private utf8(s: string): void {
    this.room(Buffer.byteLength(s));
    this.pos += this.bytes.write(s, this.pos);
  }

  /** As JSON.stringify writes it (Number.prototype.toString, null when not finite). Integers, and
   * fractions that are a whole number of millionths, are written from integers; others by toString. A
   * fraction below 2^33 that is k millionths (k / 1e6 === x, a correctly rounded division) has no
   * shorter decimal: another of at most six decimals is at least 1e-6 away, more than the double's
   * spacing, so it is a different double; and one with more decimals has more digits. */
  private number(x: number): void {
    this.room(NUMBER_ROOM);
    if (Number.isSafeInteger(x)) {
      this.integer(x);
      return;
    }
    const a = Math.abs(x);
    if (a >= 1 / MILLIONTHS && a < MILLIONTHS_EXACT_BELOW) {
      const k = Math.round(a * MILLIONTHS);
      if (k / MILLIONTHS === a) {
        if (x < 0) this.bytes[this.pos++] = 0x2d;
        const whole = Math.floor(a);
        this.integer(whole);
        this.fraction(k - whole * MILLIONTHS);
        return;
      }
    }
    this.ascii(Number.isFinite(x) ? String(x) : 'null');
  }

  /** A safe integer; -0 is 0, as in JSON. */
  private integer(x: number): void {
    if (x < 0) {
      this.bytes[this.pos++] = 0x2d;
      x = -x;
    }
    if (x < 2 ** 31) {
      this.int31(x | 0);
      return;
    }
    // In two parts, so the digits come from 32-bit arithmetic.
    const high = Math.floor(x / 1e9);
    this.int31(high | 0);
    this.digits(x - high * 1e9, 9);
  }

  private int31(x: number): void {
    let n = 1;
    for (let t = x; t >= 10; t = (t / 10) | 0) n++;
    this.digits(x, n);
  }

  /** `x` (below 2^31) as exactly `n` digits, zeros first. */
  private digits(x: number, n: number): void {
    const b = this.bytes;
    let v = x | 0;
    for (let p = this.pos + n - 1; p >= this.pos; p--) {
      const q = (v / 10) | 0;
      b[p] = 0x30 + v - q * 10;
      v = q;
    }
    this.pos += n;
  }

  /** ".ddd" for `millionths` (1 to 999,999), trailing zeros dropped. */
  private fraction(millionths: number): void {
    let v = millionths | 0;
    let n = 6;
    while (v % 10 === 0) {
      v = (v / 10) | 0;
      n--;
    }
    this.bytes[this.pos++] = 0x2e;
    this.digits(v, n);
  }
}
