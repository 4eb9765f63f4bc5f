/** A connection view's JSON line written straight into bytes: the bytes of JSON.stringify(view) in
 * UTF-8 (the view with its Wireshark filter, which the writer makes itself), without the string. On
 * bench (a) the views' JSON is half a gigabyte; JSON.stringify and then Buffer.write took 213 ms per
 * 21,176 views of (a)/10 against 125 ms here, most of it in formatting numbers, and left a 2.5 KB string
 * per connection for the collector. */
import { CONN_EVENT_TYPES, RST_SEQ_FITS, type ConnEvent, type Role } from '../tcp/events';
import { FILTER_TEXTS } from '../tcp/connection-record';
import type { ConnectionCore, ConnectionJson, PerRole, StateChangeJson } from '../tcp/connection-view';
import { TCP_STATES } from '../tcp/tcp-state';

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

/** The bytes of each event's text up to its time, by type and sender: one copy instead of four texts
 * written character by character, for the ten or so events of every connection. With the state changes'
 * the same way, (a)/10's 21,176 lines took 115-123 against 140-145 ms (alternated, same run). */
const EVENT_HEADS = tableOf(CONN_EVENT_TYPES, (type) => ({
  client: asciiBytes(`${EVENT.type}"${type}"${EVENT.by}"client"${EVENT.at}`),
  server: asciiBytes(`${EVENT.type}"${type}"${EVENT.by}"server"${EVENT.at}`),
} satisfies Record<Role, Uint8Array>));
const RST_SEQ_FIT_TEXTS = tableOf(RST_SEQ_FITS, (fit) => asciiBytes(`${EVENT.rst_seq_fit}"${fit}"`));
const STATE_HEADS = tableOf(TCP_STATES, (state) => asciiBytes(`${STATE.state}"${state}"${STATE.at}`));
const EVENT_FRAME = asciiBytes(EVENT.frame);
const EVENT_SEQ = asciiBytes(EVENT.seq);
const EVENT_ACK = asciiBytes(EVENT.ack);
const EVENT_LEN = asciiBytes(EVENT.len);
const EVENT_IDLE = asciiBytes(EVENT.idle_s);
const RST_WITH_ACK = asciiBytes(`${EVENT.rst_with_ack}true`);
const RST_WITHOUT_ACK = asciiBytes(`${EVENT.rst_with_ack}false`);
const STATE_FRAME = asciiBytes(STATE.frame);
/** The filter's texts (see connectionFilter) up to the client's address, the server's, their ports, the frames. */
const FILTER_CLIENT = { ipv4: asciiBytes(`${VIEW.filter}"${FILTER_TEXTS.ipv4}`), ipv6: asciiBytes(`${VIEW.filter}"${FILTER_TEXTS.ipv6}`) };
const FILTER_SERVER = { ipv4: asciiBytes(FILTER_TEXTS.and + FILTER_TEXTS.ipv4), ipv6: asciiBytes(FILTER_TEXTS.and + FILTER_TEXTS.ipv6) };
const FILTER_PORT = asciiBytes(FILTER_TEXTS.port);
const FILTER_FIRST_FRAME = asciiBytes(FILTER_TEXTS.firstFrame);
const FILTER_LAST_FRAME = asciiBytes(FILTER_TEXTS.lastFrame);
const STATE_INFERRED = asciiBytes(`${STATE.inferred}true`);
const STATE_NOT_INFERRED = asciiBytes(`${STATE.inferred}false`);

const FIRST_BYTES = 16 << 10;
/** "00" to "99", for writing digits two at a time. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');
/** Fractions are written from integers in millionths: capture times have microseconds. */
const MILLIONTHS = 1e6;
/** Below this, two numbers a millionth apart are never the same double (its spacing is at most 2^-20). */
const MILLIONTHS_EXACT_BELOW = 2 ** 33;
/** The most digits a number takes in JSON (-1.2345678901234567e-123). */
const NUMBER_ROOM = 25;
/** The most bytes one event or one state change takes: its texts, the longest of each, and its numbers. */
const EVENT_ROOM = longest(Object.values(EVENT_HEADS).flatMap((h) => [h.client, h.server]))
  + EVENT_FRAME.length + EVENT_SEQ.length + EVENT_ACK.length + EVENT_LEN.length + EVENT_IDLE.length
  + RST_WITHOUT_ACK.length + longest(Object.values(RST_SEQ_FIT_TEXTS)) + 6 * NUMBER_ROOM + '},'.length;
const STATE_ROOM = longest(Object.values(STATE_HEADS)) + STATE_FRAME.length + STATE_NOT_INFERRED.length + 2 * NUMBER_ROOM + '},'.length;
/** The most bytes the filter takes beside its endpoints' addresses and ports. */
const FILTER_ROOM = FILTER_CLIENT.ipv6.length + FILTER_SERVER.ipv6.length + 2 * FILTER_PORT.length + FILTER_FIRST_FRAME.length
  + FILTER_LAST_FRAME.length + 2 * NUMBER_ROOM + '"'.length;

export class ConnectionLineWriter {
  /** The last line is bytes `start` to `start` + its length: in the buffer writeAt was given when it fit
   * there, else in this writer's own (which the next line reuses). */
  bytes: Buffer = Buffer.allocUnsafe(FIRST_BYTES);
  start = 0;
  private own = this.bytes;
  private pos = 0;

  /** Writes the line at 0 in this writer's own buffer; returns its length. */
  write(v: ConnectionCore): number {
    return this.writeAt(v, this.own, 0);
  }

  /** Writes the line into `into` from `at`, as far as it fits (a spool's run, so that it is not copied
   * there after); returns its length. The Wireshark filter is written from the view's endpoints and
   * frames, as connectionViewOf makes it, so a view need not have it: joining it took about 5,400
   * instructions a view and copying it into the line 4,200, writing it here about 2,000. */
  writeAt(v: ConnectionCore, into: Buffer, at: number): number {
    this.bytes = into;
    this.start = at;
    this.pos = at;
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
      this.room(EVENT_ROOM);
      if (i > 0) this.bytes[this.pos++] = 0x2c;
      this.event(v.events[i]);
    }
    this.ascii(']');
    this.filter(v);
    this.ascii('}');
    return this.pos - this.start;
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
      this.room(STATE_ROOM);
      if (i > 0) this.bytes[this.pos++] = 0x2c;
      this.copy(STATE_HEADS[s.state]);
      this.numberIn(s.at);
      this.copy(STATE_FRAME);
      this.numberIn(s.frame);
      if (s.inferred !== undefined) this.copy(s.inferred ? STATE_INFERRED : STATE_NOT_INFERRED);
      this.bytes[this.pos++] = 0x7d;
    }
    this.ascii(']');
  }

  /** One event, written within EVENT_ROOM. */
  private event(e: ConnEvent): void {
    this.copy(EVENT_HEADS[e.type][e.by]);
    this.numberIn(e.at);
    this.copy(EVENT_FRAME);
    this.numberIn(e.frame);
    this.copy(EVENT_SEQ);
    this.numberIn(e.seq);
    this.copy(EVENT_ACK);
    this.numberIn(e.ack);
    this.copy(EVENT_LEN);
    this.numberIn(e.len);
    if (e.rst_with_ack !== undefined) this.copy(e.rst_with_ack ? RST_WITH_ACK : RST_WITHOUT_ACK);
    if (e.rst_seq_fit !== undefined) this.copy(RST_SEQ_FIT_TEXTS[e.rst_seq_fit]);
    if (e.idle_s !== undefined) {
      this.copy(EVENT_IDLE);
      this.numberIn(e.idle_s);
    }
    this.bytes[this.pos++] = 0x7d;
  }

  /** `,"filter":"…"` for the view's endpoints ("ip:port", "[ip6]:port": no character to escape) and frames. */
  private filter(v: ConnectionCore): void {
    this.room(FILTER_ROOM + v.client.length + v.server.length);
    const ipv6 = v.client.charCodeAt(0) === 0x5b;
    this.copy(ipv6 ? FILTER_CLIENT.ipv6 : FILTER_CLIENT.ipv4);
    this.endpoint(v.client, ipv6);
    this.copy(ipv6 ? FILTER_SERVER.ipv6 : FILTER_SERVER.ipv4);
    this.endpoint(v.server, ipv6);
    this.copy(FILTER_FIRST_FRAME);
    this.numberIn(v.first_frame);
    this.copy(FILTER_LAST_FRAME);
    this.numberIn(v.last_frame);
    this.bytes[this.pos++] = 0x22;
  }

  /** An endpoint's address, then FILTER_PORT and its port, in room made already. */
  private endpoint(endpoint: string, ipv6: boolean): void {
    const colon = endpoint.lastIndexOf(':');
    const b = this.bytes;
    let p = this.pos;
    // Without the brackets around an IPv6 address.
    for (let i = ipv6 ? 1 : 0, end = ipv6 ? colon - 1 : colon; i < end; i++) b[p++] = endpoint.charCodeAt(i);
    this.pos = p;
    this.copy(FILTER_PORT);
    p = this.pos;
    for (let i = colon + 1; i < endpoint.length; i++) b[p++] = endpoint.charCodeAt(i);
    this.pos = p;
  }

  /** Room for `n` more bytes: what the line has so far moves to the start of this writer's own buffer,
   * grown if need be, when it does not fit where it is. */
  private room(n: number): void {
    if (this.pos + n <= this.bytes.length) return;
    const used = this.pos - this.start;
    if (this.own.length < used + n) this.own = Buffer.allocUnsafe(Math.max(this.own.length * 2, used + n));
    this.bytes.copy(this.own, 0, this.start, this.pos);
    this.bytes = this.own;
    this.start = 0;
    this.pos = used;
  }

  /** Bytes known to fit; set() copies them faster than a loop (130 ms of the lines above with a loop). */
  private copy(text: Uint8Array): void {
    this.bytes.set(text, this.pos);
    this.pos += text.length;
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

  private number(x: number): void {
    this.room(NUMBER_ROOM);
    this.numberIn(x);
  }

  /** As JSON.stringify writes it (Number.prototype.toString, null when not finite). Integers, and
   * fractions that are a whole number of millionths, are written from integers; others by toString. A
   * fraction below 2^33 that is k millionths (k / 1e6 === x, a correctly rounded division) has no
   * shorter decimal: another of at most six decimals is at least 1e-6 away, more than the double's
   * spacing, so it is a different double; and one with more decimals has more digits. In room made already. */
  private numberIn(x: number): void {
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
    this.digits(x, digitCount(x));
  }

  /** Writes `x` (below 2^31) in `n` digits, zeros in front where it has fewer: two digits a division. */
  private digits(x: number, n: number): void {
    const b = this.bytes;
    const first = this.pos;
    let v = x | 0;
    let p = first + n;
    while (p - first >= 2) {
      const q = (v / 100) | 0;
      const pair = (v - q * 100) << 1;
      b[--p] = DIGIT_PAIRS[pair + 1];
      b[--p] = DIGIT_PAIRS[pair];
      v = q;
    }
    if (p > first) b[first] = 0x30 + v;
    this.pos = first + n;
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

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function tableOf<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>;
}

function longest(texts: readonly Uint8Array[]): number {
  return Math.max(...texts.map((t) => t.length));
}

/** How many digits `x` (below 2^31) takes. */
function digitCount(x: number): number {
  if (x < 100_000) {
    if (x < 100) return x < 10 ? 1 : 2;
    if (x < 1_000) return 3;
    return x < 10_000 ? 4 : 5;
  }
  if (x < 10_000_000) return x < 1_000_000 ? 6 : 7;
  if (x < 1_000_000_000) return x < 100_000_000 ? 8 : 9;
  return 10;
}
