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
  client: wordText(`${EVENT.type}"${type}"${EVENT.by}"client"${EVENT.at}`),
  server: wordText(`${EVENT.type}"${type}"${EVENT.by}"server"${EVENT.at}`),
} satisfies Record<Role, WordText>));
const RST_SEQ_FIT_TEXTS = tableOf(RST_SEQ_FITS, (fit) => wordText(`${EVENT.rst_seq_fit}"${fit}"`));
const STATE_HEADS = tableOf(TCP_STATES, (state) => wordText(`${STATE.state}"${state}"${STATE.at}`));
/** The view's texts up to each value (see writeAt), those that follow one another joined. */
const VIEW_TEXTS = tableOf([
  'id', 'client', 'server', 'start', 'end', 'duration_s', 'first_frame', 'last_frame', 'partial', 'previous', 'packets', 'bytes',
  'payload_bytes', 'conn_state', 'history', 'ending',
] as const, (key) => wordText(VIEW[key]));
const ROLE_CLIENT = wordText(ROLE.client);
const ROLE_SERVER = wordText(ROLE.server);
const FINAL_STATE_CLIENT = wordText(VIEW.final_state + ROLE.client);
const STATES_CLIENT = wordText(`}${VIEW.states}${ROLE.client}`);
const EVENTS_LIST = wordText(`}${VIEW.events}[`);
const TRUE = wordText('true');
const FALSE = wordText('false');
const NULL = wordText('null');
const EVENT_FRAME = wordText(EVENT.frame);
const EVENT_SEQ = wordText(EVENT.seq);
const EVENT_ACK = wordText(EVENT.ack);
const EVENT_LEN = wordText(EVENT.len);
const EVENT_IDLE = wordText(EVENT.idle_s);
const RST_WITH_ACK = wordText(`${EVENT.rst_with_ack}true`);
const RST_WITHOUT_ACK = wordText(`${EVENT.rst_with_ack}false`);
const STATE_FRAME = wordText(STATE.frame);
/** The filter's texts (see connectionFilter) up to the client's address, the server's, their ports, the frames. */
const FILTER_CLIENT = { ipv4: wordText(`${VIEW.filter}"${FILTER_TEXTS.ipv4}`), ipv6: wordText(`${VIEW.filter}"${FILTER_TEXTS.ipv6}`) };
const FILTER_SERVER = { ipv4: wordText(FILTER_TEXTS.and + FILTER_TEXTS.ipv4), ipv6: wordText(FILTER_TEXTS.and + FILTER_TEXTS.ipv6) };
const FILTER_PORT = wordText(FILTER_TEXTS.port);
const FILTER_FIRST_FRAME = wordText(FILTER_TEXTS.firstFrame);
const FILTER_LAST_FRAME = wordText(FILTER_TEXTS.lastFrame);
const STATE_INFERRED = wordText(`${STATE.inferred}true`);
const STATE_NOT_INFERRED = wordText(`${STATE.inferred}false`);

const FIRST_BYTES = 16 << 10;
/** "00" to "99", for writing digits two at a time. */
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''), 'latin1');
/** "0000" to "9999" as the little-endian words of their bytes, for writing digits four at a time. */
const DIGIT_QUADS = Uint32Array.from({ length: 10000 }, (_, i) => asciiWord(String(i).padStart(4, '0'), 0));
/** Fractions are written from integers in millionths: capture times have microseconds. */
const MILLIONTHS = 1e6;
/** Below this, two numbers a millionth apart are never the same double (its spacing is at most 2^-20). */
const MILLIONTHS_EXACT_BELOW = 2 ** 33;
/** The most digits a number takes in JSON (-1.2345678901234567e-123). */
const NUMBER_ROOM = 25;
/** Whole parts below this are written, not copied (see whole). */
const SHORT_WHOLE = 100_000;
/** Bytes a fixed text's last word may write beyond it (see copy). */
const WORD_SLACK = 3;
/** The most bytes one event or one state change takes: its texts, the longest of each, and its numbers. */
const EVENT_ROOM = longest(Object.values(EVENT_HEADS).flatMap((h) => [h.client, h.server]))
  + EVENT_FRAME.length + EVENT_SEQ.length + EVENT_ACK.length + EVENT_LEN.length + EVENT_IDLE.length
  + RST_WITHOUT_ACK.length + longest(Object.values(RST_SEQ_FIT_TEXTS)) + 6 * NUMBER_ROOM + '},'.length + WORD_SLACK;
const STATE_ROOM = longest(Object.values(STATE_HEADS)) + STATE_FRAME.length + STATE_NOT_INFERRED.length + 2 * NUMBER_ROOM + '},'.length + WORD_SLACK;
/** The most bytes the filter takes beside its endpoints' addresses and ports. */
const FILTER_ROOM = FILTER_CLIENT.ipv6.length + FILTER_SERVER.ipv6.length + 2 * FILTER_PORT.length + FILTER_FIRST_FRAME.length
  + FILTER_LAST_FRAME.length + 2 * NUMBER_ROOM + '"'.length + WORD_SLACK;

export class ConnectionLineWriter {
  /** The last line is bytes `start` to `start` + its length: in the buffer writeAt was given when it fit
   * there, else in this writer's own (which the next line reuses). */
  bytes: Buffer = Buffer.allocUnsafe(FIRST_BYTES);
  start = 0;
  private own = this.bytes;
  /** `bytes`, for writing four bytes at once (see copy). */
  private view = dataViewOf(this.bytes);
  /** The whole seconds of the time written last in this line, and where their digits are (-1: none). */
  private wholeValue = 0;
  private wholeAt = -1;
  private wholeLength = 0;
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
    if (into !== this.bytes) {
      this.bytes = into;
      this.view = dataViewOf(into);
    }
    this.start = at;
    this.pos = at;
    this.wholeAt = -1;
    this.text(VIEW_TEXTS.id); this.number(v.id);
    this.text(VIEW_TEXTS.client); this.string(v.client);
    this.text(VIEW_TEXTS.server); this.string(v.server);
    this.text(VIEW_TEXTS.start); this.number(v.start);
    this.text(VIEW_TEXTS.end); this.number(v.end);
    this.text(VIEW_TEXTS.duration_s); this.number(v.duration_s);
    this.text(VIEW_TEXTS.first_frame); this.number(v.first_frame);
    this.text(VIEW_TEXTS.last_frame); this.number(v.last_frame);
    this.text(VIEW_TEXTS.partial); this.boolean(v.partial);
    this.text(VIEW_TEXTS.previous); this.nullable(v.previous);
    this.text(VIEW_TEXTS.packets); this.counts(v.packets);
    this.text(VIEW_TEXTS.bytes); this.counts(v.bytes);
    this.text(VIEW_TEXTS.payload_bytes); this.counts(v.payload_bytes);
    this.text(VIEW_TEXTS.conn_state); this.string(v.conn_state);
    this.text(VIEW_TEXTS.history); this.string(v.history);
    this.text(VIEW_TEXTS.ending); this.string(v.ending);
    this.text(FINAL_STATE_CLIENT); this.nullableString(v.final_state.client);
    this.text(ROLE_SERVER); this.nullableString(v.final_state.server);
    this.text(STATES_CLIENT); this.states(v.states.client);
    this.text(ROLE_SERVER); this.states(v.states.server);
    this.text(EVENTS_LIST);
    for (let i = 0; i < v.events.length; i++) {
      this.room(EVENT_ROOM);
      if (i > 0) this.bytes[this.pos++] = 0x2c;
      this.event(v.events[i]);
    }
    this.byte(0x5d);
    this.filter(v);
    this.byte(0x7d);
    return this.pos - this.start;
  }

  private counts(c: PerRole<number>): void {
    this.text(ROLE_CLIENT); this.number(c.client);
    this.text(ROLE_SERVER); this.number(c.server);
    this.byte(0x7d);
  }

  private states(list: StateChangeJson[]): void {
    this.byte(0x5b);
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
    this.byte(0x5d);
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
    this.view = dataViewOf(this.own);
    this.start = 0;
    this.wholeAt = -1;
    this.pos = used;
  }

  /** A text known to fit, and WORD_SLACK bytes after it (which the next bytes overwrite): a word at a time. */
  private copy(text: WordText): void {
    const view = this.view;
    const words = text.words;
    let p = this.pos;
    for (let i = 0; i < words.length; i++, p += 4) view.setUint32(p, words[i], true);
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

  /** A text, room made for it here. */
  private text(t: WordText): void {
    this.room(t.length + WORD_SLACK);
    this.copy(t);
  }

  private byte(b: number): void {
    this.room(1);
    this.bytes[this.pos++] = b;
  }

  private boolean(x: boolean): void {
    this.text(x ? TRUE : FALSE);
  }

  private nullable(x: number | null): void {
    if (x === null) this.text(NULL);
    else this.number(x);
  }

  private nullableString(x: string | null): void {
    if (x === null) this.text(NULL);
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
        this.whole(whole);
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

  /** Writes `x` (below 2^31) in `n` digits, zeros in front where it has fewer: four digits a division,
   * then two. */
  private digits(x: number, n: number): void {
    const b = this.bytes;
    const first = this.pos;
    let v = x | 0;
    let p = first + n;
    while (p - first >= 4) {
      const q = (v / 10000) | 0;
      p -= 4;
      this.view.setUint32(p, DIGIT_QUADS[v - q * 10000], true);
      v = q;
    }
    if (p - first >= 2) {
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
    const b = this.bytes;
    b[this.pos++] = 0x2e;
    this.digits(millionths, 6);
    while (b[this.pos - 1] === 0x30) this.pos--;
  }

  /** A time's whole seconds: a line's times mostly share them, so those written last are copied (short
   * ones, such as an idle time's, are written and leave them be). */
  private whole(x: number): void {
    if (x < SHORT_WHOLE) {
      this.int31(x);
      return;
    }
    const b = this.bytes;
    const from = this.wholeAt;
    if (x === this.wholeValue && from >= 0) {
      const p = this.pos;
      const n = this.wholeLength;
      for (let i = 0; i < n; i++) b[p + i] = b[from + i];
      this.pos = p + n;
      return;
    }
    const at = this.pos;
    this.integer(x);
    this.wholeValue = x;
    this.wholeAt = at;
    this.wholeLength = this.pos - at;
  }
}

/** An ASCII text as the little-endian 32-bit words of its bytes, the last padded with zeros. */
interface WordText {
  words: Uint32Array;
  length: number;
}

function wordText(text: string): WordText {
  return { words: Uint32Array.from({ length: Math.ceil(text.length / 4) }, (_, i) => asciiWord(text, 4 * i)), length: text.length };
}

/** Characters `at` to `at` + 3 of an ASCII text (zeros past its end) as a little-endian word, whatever the
 * host's byte order: the order DataView#setUint32(…, true) writes them in. */
function asciiWord(text: string, at: number): number {
  let word = 0;
  for (let i = 3; i >= 0; i--) word = (word << 8) | (at + i < text.length ? text.charCodeAt(at + i) : 0);
  return word >>> 0;
}

function dataViewOf(bytes: Buffer): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
}

function tableOf<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((k) => [k, value(k)])) as Record<K, V>;
}

function longest(texts: readonly WordText[]): number {
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
