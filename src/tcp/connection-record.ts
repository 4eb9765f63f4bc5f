/** A retired connection as a record: a head of its numbers (doubles, 32-bit words, bytes), its events
 * and state changes as the replay keeps them (see EventRecords, StateRecords), then its addresses,
 * conn_state and history as bytes. The replay thread writes it from the replay's columns, without an
 * object per event, and the main thread makes the report view from it (see replay-thread.ts); one thread
 * alone does both (pipeline.ts). On bench (a) the replay thread took 1.5 s to make and encode the views,
 * and takes 0.6 s to write the records: the main thread, which waited for views a third of the time,
 * makes them now. Each record is written into the connection ring (in place, see writeAt), copied out of
 * it and kept in the temporary file until the report, so its size counts: with every number a double,
 * (a)'s records took 1,075 bytes each, 708 in this layout. */
import { formatAddress, joinEndpoint } from '../flow/endpoint-key';
import { KnownAddresses } from '../flow/known-addresses';
import type { Connection } from './connection';
import { EVENT_RECORD_BYTES, eventOf, loggedEvent, type EventRecords } from './event-records';
import type { ConnEvent, ConnEventType, Role } from './events';
import type { ConnectionCore, ConnectionJson, Ending, StateChangeJson } from './connection-view';
import type { RecordMemory } from './record-chains';
import type { Side } from './side';
import { STATE_RECORD_BYTES, stateChange, type StateRecords } from './state-records';
import { tcpStateCode, tcpStateOf } from './tcp-state';

// The head's doubles:
const ID = 0;
const START = 1;
const END = 2;
const FIRST_FRAME = 3;
const LAST_FRAME = 4;
/** -1: none. */
const PREVIOUS = 5;
/** Then side 0's, then side 1's (by side, not role), from SIDE_DOUBLES + side * SIDE_DOUBLE_COUNT: */
const SIDE_DOUBLES = 6;
const PACKETS = 0;
const BYTES = 1;
const PAYLOAD_BYTES = 2;
// A payload's time is the double after its frame (see payloadEvent).
const FIRST_DATA_FRAME = 3;
const FIRST_DATA_AT = 4;
const LAST_DATA_FRAME = 5;
const LAST_DATA_AT = 6;
const SIDE_DOUBLE_COUNT = 7;
// Its 32-bit words, after the doubles:
const EVENTS = 2 * (SIDE_DOUBLES + 2 * SIDE_DOUBLE_COUNT);
/** Side 0's state changes; side 1's next. */
const STATES = EVENTS + 1;
const ADDR0_BYTES = STATES + 2;
const ADDR1_BYTES = ADDR0_BYTES + 1;
const CONN_STATE_BYTES = ADDR1_BYTES + 1;
const HISTORY_BYTES = CONN_STATE_BYTES + 1;
/** Then each side's, from SIDE_WORDS + side * SIDE_WORD_COUNT: */
const SIDE_WORDS = HISTORY_BYTES + 1;
const PORT = 0;
// A first or last payload's sequence numbers and length:
const FIRST_DATA = 1;
const LAST_DATA = 4;
const DATA_SEQ = 0;
const DATA_ACK = 1;
const DATA_LEN = 2;
const SIDE_WORD_COUNT = 7;
// Its bytes, after the words:
const PARTIAL = 4 * (SIDE_WORDS + 2 * SIDE_WORD_COUNT);
const CLIENT_SIDE = PARTIAL + 1;
/** Then each side's state code and FLAGS, from SIDE_BYTES + 2 * side. */
const SIDE_BYTES = CLIENT_SIDE + 1;
const STATE = 0;
const FLAGS = 1;
/** The head's length: the events that follow start where doubles can be read. */
const HEAD_BYTES = (SIDE_BYTES + 4 + 7) & ~7;
// FLAGS:
const SYN_SEEN = 1;
const FIN_SENT = 2;
const RST_SENT = 4;

/** Addresses formatted, kept by value: every view formats two, and most connections share theirs with
 * others (212,000 views of bench (a): 473 against 531 ms). At most this many of each family. */
const FORMATTED_ADDRESSES = new KnownAddresses(65_536, formatAddress);
const FIRST_BYTES = 16 << 10;

/** What `update` logs for a segment after its payload (its FIN, RST and window events): a first payload
 * goes before these in the log and after the segment's SYN and ACK events. */
const AFTER_DATA: ReadonlySet<ConnEventType> = new Set(['fin', 'fin-retransmit', 'rst', 'zero-window', 'window-reopen']);

export class ConnectionRecordWriter {
  /** The record is bytes 0 to write()'s result; the next write reuses them. */
  bytes = Buffer.allocUnsafeSlow(FIRST_BYTES);
  private m = recordMemoryOf(this.bytes.buffer);
  // What `measure` found of the connection being written: the lengths of its chains (see countChains),
  // its texts, where they start in its record.
  private eventCount = 0;
  private states0 = 0;
  private states1 = 0;
  private connState = '';
  private history = '';
  private textAt = 0;
  /** Its sides' handles, moved to it (no other connection's side is asked for before writeAt). */
  private side0: Side | null = null;
  private side1: Side | null = null;

  /** Writes `conn`'s record (before it is released) to `bytes`; returns its length in bytes. */
  write(conn: Connection): number {
    const length = this.measure(conn);
    this.writeMeasured(conn, length);
    return length;
  }

  /** Writes the record of `conn`, just measured at `length` bytes, to `bytes` (which may be replaced by
   * a larger buffer). */
  writeMeasured(conn: Connection, length: number): void {
    this.room(length);
    this.writeAt(conn, this.m, 0);
  }

  /** The length in bytes of `conn`'s record, which writeAt writes next. */
  measure(conn: Connection): number {
    const side0 = conn.side(0);
    const side1 = conn.side(1);
    this.side0 = side0;
    this.side1 = side1;
    this.countChains(conn.eventRecords, conn.eventsHead, conn.states, side0.statesHead, side1.statesHead);
    this.connState = conn.zeek.connState();
    this.history = conn.zeek.history;
    this.textAt = HEAD_BYTES + EVENT_RECORD_BYTES * this.eventCount + STATE_RECORD_BYTES * (this.states0 + this.states1);
    // Addresses are latin1 strings of their bytes (see AddressBytes); conn_state and history are ASCII.
    return this.textAt + side0.addr.length + side1.addr.length + this.connState.length + this.history.length;
  }

  /** Writes the record of `conn`, just measured, to `m` from byte `o` (a multiple of 8): straight into
   * the connection ring, say, rather than copied there. */
  writeAt(conn: Connection, m: RecordMemory, o: number): void {
    const { eventCount, states0, states1 } = this;
    const events = conn.eventRecords;
    const states = conn.states;
    const side0 = this.side0 as Side;
    const side1 = this.side1 as Side;
    const { f64, u32, u8 } = m;
    const d = o >>> 3;
    const w = o >>> 2;
    f64[d + ID] = conn.id;
    f64[d + START] = conn.start;
    f64[d + END] = conn.end;
    f64[d + FIRST_FRAME] = conn.firstFrame;
    f64[d + LAST_FRAME] = conn.lastFrame;
    f64[d + PREVIOUS] = conn.previousId ?? -1;
    u32[w + EVENTS] = eventCount;
    u32[w + STATES] = states0;
    u32[w + STATES + 1] = states1;
    u8[o + PARTIAL] = conn.partial ? 1 : 0;
    u8[o + CLIENT_SIDE] = conn.clientSide;
    writeSide(m, o, 0, side0);
    writeSide(m, o, 1, side1);
    let k = (o + HEAD_BYTES) >>> 2;
    for (let i = conn.eventsHead; i >= 0; i = events.nextOf(i), k += EVENT_RECORD_BYTES >>> 2) events.copyRecord(i, u32, k);
    for (let i = side0.statesHead; i >= 0; i = states.nextOf(i), k += STATE_RECORD_BYTES >>> 2) states.copyRecord(i, u32, k);
    for (let i = side1.statesHead; i >= 0; i = states.nextOf(i), k += STATE_RECORD_BYTES >>> 2) states.copyRecord(i, u32, k);
    let at = o + this.textAt;
    at = latin1(m, w + ADDR0_BYTES, side0.addr, at);
    at = latin1(m, w + ADDR1_BYTES, side1.addr, at);
    at = latin1(m, w + CONN_STATE_BYTES, this.connState, at);
    latin1(m, w + HISTORY_BYTES, this.history, at);
  }

  /** Sets eventCount, states0 and states1 to the lengths of the three chains, walked side by side: a
   * step's three loads do not wait on one another, so where the records lie anywhere in memory (a long
   * capture's, see RecordChains) their cache misses overlap; walked one chain after the other, each
   * record waited for the one before. */
  private countChains(events: EventRecords, eventsHead: number, states: StateRecords, head0: number, head1: number): void {
    let e = eventsHead;
    let s0 = head0;
    let s1 = head1;
    let ne = 0;
    let n0 = 0;
    let n1 = 0;
    while (e >= 0 || s0 >= 0 || s1 >= 0) {
      if (e >= 0) {
        e = events.nextOf(e);
        ne++;
      }
      if (s0 >= 0) {
        s0 = states.nextOf(s0);
        n0++;
      }
      if (s1 >= 0) {
        s1 = states.nextOf(s1);
        n1++;
      }
    }
    this.eventCount = ne;
    this.states0 = n0;
    this.states1 = n1;
  }

  private room(bytes: number): void {
    if (bytes <= this.bytes.length) return;
    this.bytes = Buffer.allocUnsafeSlow((Math.max(bytes, this.bytes.length * 2) + 7) & ~7);
    this.m = recordMemoryOf(this.bytes.buffer);
  }
}

/** Writes `text` (whose characters are all below 256) at byte `at` of `m`, its length in word `k`; returns
 * where it ends. A loop: Buffer.write's call cost more than these few bytes (240 ns a text on bench (a)). */
function latin1(m: RecordMemory, k: number, text: string, at: number): number {
  const b = m.u8;
  for (let i = 0; i < text.length; i++) b[at + i] = text.charCodeAt(i);
  m.u32[k] = text.length;
  return at + text.length;
}

/** Writes side `side`'s numbers in the head of the record at byte `o` of `m`. */
function writeSide(m: RecordMemory, o: number, side: 0 | 1, s: Side): void {
  const d = sideDoubles(o, side);
  const w = sideWords(o, side);
  const b = o + SIDE_BYTES + 2 * side;
  m.f64[d + PACKETS] = s.packets;
  m.f64[d + BYTES] = s.bytes;
  m.f64[d + PAYLOAD_BYTES] = s.payloadBytes;
  m.f64[d + FIRST_DATA_FRAME] = s.firstDataFrame;
  m.f64[d + FIRST_DATA_AT] = s.firstDataAt;
  m.f64[d + LAST_DATA_FRAME] = s.lastDataFrame;
  m.f64[d + LAST_DATA_AT] = s.lastDataAt;
  m.u32[w + PORT] = s.port;
  writePayload(m.u32, w + FIRST_DATA, s.firstDataSeq, s.firstDataAck, s.firstDataLen);
  writePayload(m.u32, w + LAST_DATA, s.lastDataSeq, s.lastDataAck, s.lastDataLen);
  m.u8[b + STATE] = tcpStateCode(s.state);
  m.u8[b + FLAGS] = (s.synSeen ? SYN_SEEN : 0) | (s.finSent ? FIN_SENT : 0) | (s.rstSent ? RST_SENT : 0);
}

function writePayload(w: Uint32Array, k: number, seq: number, ack: number, len: number): void {
  w[k + DATA_SEQ] = seq;
  w[k + DATA_ACK] = ack;
  w[k + DATA_LEN] = len;
}

/** A scratch writer that grew past this for one huge connection is let go (a scan worker lives long). */
const SCRATCH_KEPT_BYTES = 1 << 20;
let scratch = new ConnectionRecordWriter();

/** The record of one connection, valid until the next call. Make it once the connection has taken its
 * last segment (when it is retired), before it is released. */
export function connectionRecord(conn: Connection): Buffer {
  if (scratch.bytes.length > SCRATCH_KEPT_BYTES) scratch = new ConnectionRecordWriter();
  // Length first: write may replace the buffer with a larger one.
  const length = scratch.write(conn);
  return scratch.bytes.subarray(0, length);
}

/** The JSON view of one connection, oriented client → server (see connectionRecord for when). */
export function connectionJson(conn: Connection): ConnectionJson {
  return connectionViewOf(connectionRecord(conn));
}

/** The view of the connection whose record is `bytes` (which need not be aligned). */
export function connectionViewOf(bytes: Buffer): ConnectionJson {
  return viewOf(bytes, true) as ConnectionJson;
}

/** connectionViewOf without the filter, for what the detectors, the facts and the JSON line's writer
 * read (the writer writes the filter from the view's endpoints and frames). */
export function connectionCoreOf(bytes: Buffer): ConnectionCore {
  return viewOf(bytes, false);
}

function viewOf(bytes: Buffer, withFilter: boolean): ConnectionCore {
  const o = readFrom(bytes);
  const m = reading;
  const { f64, u32, u8 } = m;
  const d = o >>> 3;
  const w = o >>> 2;
  const clientSide = u8[o + CLIENT_SIDE];
  const serverSide = 1 - clientSide;
  const cd = sideDoubles(o, clientSide);
  const sd = sideDoubles(o, serverSide);
  const eventCount = u32[w + EVENTS];
  const states0 = u32[w + STATES];
  const states1 = u32[w + STATES + 1];
  const eventsAt = o + HEAD_BYTES;
  let at = eventsAt + EVENT_RECORD_BYTES * eventCount + STATE_RECORD_BYTES * (states0 + states1);
  const text = (length: number): string => {
    const t = u8.toString('latin1', at, at + length);
    at += length;
    return t;
  };
  const address = (length: number): string => {
    const formatted = FORMATTED_ADDRESSES.at(u8, at, length);
    at += length;
    return formatted;
  };
  const ipv4 = u32[w + ADDR0_BYTES] === 4;
  const address0 = address(u32[w + ADDR0_BYTES]);
  const address1 = address(u32[w + ADDR1_BYTES]);
  const conn_state = text(u32[w + CONN_STATE_BYTES]);
  const history = text(u32[w + HISTORY_BYTES]);
  const clientAddress = clientSide === 0 ? address0 : address1;
  const serverAddress = clientSide === 0 ? address1 : address0;
  const clientPort = u32[sideWords(o, clientSide) + PORT];
  const serverPort = u32[sideWords(o, serverSide) + PORT];
  const start = f64[d + START];
  const end = f64[d + END];
  const firstFrame = f64[d + FIRST_FRAME];
  const lastFrame = f64[d + LAST_FRAME];
  const previous = f64[d + PREVIOUS];
  let k = eventsAt + EVENT_RECORD_BYTES * eventCount;
  const timelines: StateChangeJson[][] = [[], []];
  for (let n = states0; n > 0; n--, k += STATE_RECORD_BYTES) timelines[0].push(stateChange(m, k));
  for (let n = states1; n > 0; n--, k += STATE_RECORD_BYTES) timelines[1].push(stateChange(m, k));
  const clientBits = o + SIDE_BYTES + 2 * clientSide;
  const serverBits = o + SIDE_BYTES + 2 * serverSide;
  // Without the filter, it is there undefined: views of either kind have one shape for the detectors' code.
  const view: ConnectionCore & { filter: string | undefined } = {
    id: f64[d + ID],
    client: joinEndpoint(clientAddress, ipv4, clientPort),
    server: joinEndpoint(serverAddress, ipv4, serverPort),
    start,
    end,
    duration_s: round6(end - start),
    first_frame: firstFrame,
    last_frame: lastFrame,
    partial: u8[o + PARTIAL] === 1,
    previous: previous < 0 ? null : previous,
    packets: { client: f64[cd + PACKETS], server: f64[sd + PACKETS] },
    bytes: { client: f64[cd + BYTES], server: f64[sd + BYTES] },
    payload_bytes: { client: f64[cd + PAYLOAD_BYTES], server: f64[sd + PAYLOAD_BYTES] },
    conn_state,
    history,
    ending: endingOf(u8[clientBits + FLAGS], u8[serverBits + FLAGS], f64[sd + PACKETS]),
    final_state: { client: tcpStateOf(u8[clientBits + STATE]), server: tcpStateOf(u8[serverBits + STATE]) },
    states: { client: timelines[clientSide], server: timelines[serverSide] },
    events: eventLog(m, o, eventCount, clientSide),
    filter: withFilter ? connectionFilter(ipv4, clientAddress, clientPort, serverAddress, serverPort, firstFrame, lastFrame) : undefined,
  };
  return view;
}

/** The event log of the record at byte `o` of `m`, with each side's first and last payload merged in, in
 * frame order. A first payload goes where `update` would have logged it among its segment's events (see
 * AFTER_DATA); a last payload after all of them. Put in order by insertion: the log is nearly in order
 * already, and a sort would allocate scratch space for each of hundreds of thousands of connections.
 * Stable, as sort is. */
function eventLog(m: RecordMemory, o: number, eventCount: number, clientSide: number): ConnEvent[] {
  const log: ConnEvent[] = [];
  for (let n = 0, at = o + HEAD_BYTES; n < eventCount; n++, at += EVENT_RECORD_BYTES) log.push(loggedEvent(m, at, clientSide));
  for (let side = 0; side < 2; side++) {
    const frame = m.f64[sideDoubles(o, side) + FIRST_DATA_FRAME];
    if (frame === 0) continue;
    let at = 0;
    while (at < log.length && (log[at].frame < frame || (log[at].frame === frame && !AFTER_DATA.has(log[at].type)))) at++;
    log.splice(at, 0, payloadEvent('first-data', m, o, side, FIRST_DATA_FRAME, FIRST_DATA, side === clientSide ? 'client' : 'server'));
  }
  for (let side = 0; side < 2; side++) {
    if (m.f64[sideDoubles(o, side) + FIRST_DATA_FRAME] === 0) continue;
    log.push(payloadEvent('last-data', m, o, side, LAST_DATA_FRAME, LAST_DATA, side === clientSide ? 'client' : 'server'));
  }
  for (let i = 1; i < log.length; i++) {
    const e = log[i];
    let j = i;
    for (; j > 0 && log[j - 1].frame > e.frame; j--) log[j] = log[j - 1];
    log[j] = e;
  }
  return log;
}

/** A side's first or last payload as an event: `frame` is its FIRST_DATA_FRAME or LAST_DATA_FRAME (its
 * time the double after), `data` its FIRST_DATA or LAST_DATA. */
function payloadEvent(type: 'first-data' | 'last-data', m: RecordMemory, o: number, side: number, frame: number, data: number, by: Role): ConnEvent {
  const d = sideDoubles(o, side) + frame;
  const w = sideWords(o, side) + data;
  return eventOf(type, by, m.f64[d + 1], m.f64[d], m.u32[w + DATA_SEQ], m.u32[w + DATA_ACK], m.u32[w + DATA_LEN], undefined, undefined, undefined);
}

/** Where side `side`'s doubles start in the record at byte `o`, counted in doubles. */
function sideDoubles(o: number, side: number): number {
  return (o >>> 3) + SIDE_DOUBLES + side * SIDE_DOUBLE_COUNT;
}

/** Where side `side`'s 32-bit words start in the record at byte `o`, counted in words. */
function sideWords(o: number, side: number): number {
  return (o >>> 2) + SIDE_WORDS + side * SIDE_WORD_COUNT;
}

/** How a connection ended, from its client's and server's FLAGS and the server's packets. */
function endingOf(client: number, server: number, serverPackets: number): Ending {
  const fins = ((client & FIN_SENT) !== 0 ? 1 : 0) + ((server & FIN_SENT) !== 0 ? 1 : 0);
  if (((client | server) & RST_SENT) !== 0) return fins > 0 ? 'fin-rst' : 'rst';
  if (fins === 2) return 'fin';
  if (fins === 1) return 'half-closed';
  return (client & SYN_SEEN) !== 0 && (server & SYN_SEEN) === 0 && serverPackets === 0 ? 'unanswered' : 'open';
}

/** The texts of a connection's Wireshark filter between its values (see connectionFilter): the JSON
 * line's writer puts them around the view's values itself. */
export const FILTER_TEXTS = {
  ipv4: 'ip.addr==', ipv6: 'ipv6.addr==', port: ' && tcp.port==', and: ' && ', firstFrame: ' && frame.number>=', lastFrame: ' && frame.number<=',
} as const;

/** A Wireshark display filter showing exactly this connection's packets (the frame range keeps
 * other incarnations of the same 4-tuple out). */
function connectionFilter(
  ipv4: boolean, clientAddress: string, clientPort: number, serverAddress: string, serverPort: number, firstFrame: number, lastFrame: number,
): string {
  const addr = ipv4 ? FILTER_TEXTS.ipv4 : FILTER_TEXTS.ipv6;
  // Joined, not concatenated: one flat string instead of a rope of a dozen pieces kept per connection.
  return [
    addr, clientAddress, FILTER_TEXTS.port, clientPort, FILTER_TEXTS.and, addr, serverAddress, FILTER_TEXTS.port, serverPort,
    FILTER_TEXTS.firstFrame, firstFrame, FILTER_TEXTS.lastFrame, lastFrame,
  ].join('');
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** All of `memory`, seen as each kind of number: where a record can be written (see writeAt) or read. */
export function recordMemoryOf(memory: ArrayBufferLike): RecordMemory & { u8: Buffer } {
  return {
    f64: new Float64Array(memory, 0, memory.byteLength >>> 3),
    u32: new Uint32Array(memory, 0, memory.byteLength >>> 2),
    u8: Buffer.from(memory),
  };
}

/** The memory the last record read lay in (the connection ring's, a run of the temporary file's), its
 * views made again only when a record lies elsewhere: a view's typed arrays cost more to make than a
 * record's numbers to read. */
let reading = recordMemoryOf(new ArrayBuffer(8));
/** Where a record not on an 8-byte boundary is copied to be read. */
let unaligned: Buffer = Buffer.allocUnsafeSlow(FIRST_BYTES);

/** Where the record `bytes` starts in `reading`, which is made to hold it. */
function readFrom(bytes: Buffer): number {
  let from = bytes;
  if ((bytes.byteOffset & 7) !== 0) {
    // A huge record's copy is not kept as the scratch (a scan worker lives long), only until a record
    // in other memory is read.
    from = unaligned.length >= bytes.length ? unaligned : Buffer.allocUnsafeSlow((bytes.length + 7) & ~7);
    if (from.length <= SCRATCH_KEPT_BYTES) unaligned = from;
    bytes.copy(from);
  }
  if (from.buffer !== reading.u8.buffer) reading = recordMemoryOf(from.buffer);
  return from.byteOffset;
}
