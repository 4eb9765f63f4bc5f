/** A retired connection as a record: its numbers as doubles, then its addresses, conn_state and history as
 * bytes. The replay thread writes it from the replay's columns, without an object per event, and the main
 * thread makes the report view from it (see replay-thread.ts); one thread alone does both (pipeline.ts).
 * On bench (a) the replay thread took 1.5 s to make and encode the views, and takes 0.6 s to write the
 * records: the main thread, which waited for views a third of the time, makes them now. */
import { formatAddress, joinEndpoint } from '../flow/endpoint-key';
import { KnownAddresses } from '../flow/known-addresses';
import type { Connection } from './connection';
import { EVENT_NUMBERS, eventOf, loggedEvent, type EventRecords } from './event-records';
import type { ConnEvent, ConnEventType, Role } from './events';
import type { ConnectionCore, ConnectionJson, Ending, StateChangeJson } from './connection-view';
import type { Side } from './side';
import { STATE_NUMBERS, stateChange, type StateRecords } from './state-records';
import { tcpStateCode, tcpStateOf } from './tcp-state';

// The record's head:
const ID = 0;
const START = 1;
const END = 2;
const FIRST_FRAME = 3;
const LAST_FRAME = 4;
const PARTIAL = 5;
/** -1: none. */
const PREVIOUS = 6;
const CLIENT_SIDE = 7;
const EVENTS = 8;
/** Where the bytes start, and how many each text takes. */
const TEXT_START = 9;
const ADDR0_BYTES = 10;
const ADDR1_BYTES = 11;
const CONN_STATE_BYTES = 12;
const HISTORY_BYTES = 13;
/** Then side 0's numbers, side 1's (by side, not role), their state changes, the events. */
const SIDES = 14;
// A side's numbers, from SIDES + side * SIDE_NUMBERS:
const PORT = 0;
const PACKETS = 1;
const BYTES = 2;
const PAYLOAD_BYTES = 3;
const STATE = 4;
const FLAGS = 5;
const FIRST_DATA = 6;
const LAST_DATA = 11;
const STATES = 16;
const SIDE_NUMBERS = 17;
// A first or last payload's numbers, from FIRST_DATA or LAST_DATA:
const DATA_FRAME = 0;
const DATA_AT = 1;
const DATA_SEQ = 2;
const DATA_ACK = 3;
const DATA_LEN = 4;
// FLAGS:
const SYN_SEEN = 1;
const FIN_SENT = 2;
const RST_SENT = 4;

const HEAD_NUMBERS = SIDES + 2 * SIDE_NUMBERS;
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
  private d = new Float64Array(this.bytes.buffer, 0, FIRST_BYTES >> 3);
  // The lengths of the connection being written's chains (see countChains).
  private eventCount = 0;
  private states0 = 0;
  private states1 = 0;

  /** Writes `conn`'s record (before it is released); returns its length in bytes. */
  write(conn: Connection): number {
    const events = conn.eventRecords;
    const states = conn.states;
    const side0 = conn.side(0);
    const side1 = conn.side(1);
    this.countChains(events, conn.eventsHead, states, side0.statesHead, side1.statesHead);
    const { eventCount, states0, states1 } = this;
    const connState = conn.zeek.connState();
    const history = conn.zeek.history;
    const numbers = HEAD_NUMBERS + STATE_NUMBERS * (states0 + states1) + EVENT_NUMBERS * eventCount;
    // Addresses are latin1 strings of their bytes (see AddressBytes); conn_state and history are ASCII.
    this.room(numbers * 8 + side0.addr.length + side1.addr.length + connState.length + history.length);
    const d = this.d;
    d[ID] = conn.id;
    d[START] = conn.start;
    d[END] = conn.end;
    d[FIRST_FRAME] = conn.firstFrame;
    d[LAST_FRAME] = conn.lastFrame;
    d[PARTIAL] = conn.partial ? 1 : 0;
    d[PREVIOUS] = conn.previousId ?? -1;
    d[CLIENT_SIDE] = conn.clientSide;
    d[EVENTS] = eventCount;
    d[TEXT_START] = numbers * 8;
    writeSide(d, SIDES, side0, states0);
    writeSide(d, SIDES + SIDE_NUMBERS, side1, states1);
    let k = HEAD_NUMBERS;
    for (let i = side0.statesHead; i >= 0; i = states.nextOf(i), k += STATE_NUMBERS) states.copy(i, d, k);
    for (let i = side1.statesHead; i >= 0; i = states.nextOf(i), k += STATE_NUMBERS) states.copy(i, d, k);
    for (let i = conn.eventsHead; i >= 0; i = events.nextOf(i), k += EVENT_NUMBERS) events.copy(i, d, k);
    let at = numbers * 8;
    at = this.latin1(d, ADDR0_BYTES, side0.addr, at);
    at = this.latin1(d, ADDR1_BYTES, side1.addr, at);
    at = this.latin1(d, CONN_STATE_BYTES, connState, at);
    return this.latin1(d, HISTORY_BYTES, history, at);
  }

  /** Writes `text` (whose characters are all below 256) at byte `at`, its length at d[k]; returns where it
   * ends. A loop: Buffer.write's call cost more than these few bytes (240 ns a text on bench (a)). */
  private latin1(d: Float64Array, k: number, text: string, at: number): number {
    const b = this.bytes;
    for (let i = 0; i < text.length; i++) b[at + i] = text.charCodeAt(i);
    d[k] = text.length;
    return at + text.length;
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
    this.d = new Float64Array(this.bytes.buffer, 0, this.bytes.length >> 3);
  }
}

function writeSide(d: Float64Array, k: number, s: Side, stateCount: number): void {
  d[k + PORT] = s.port;
  d[k + PACKETS] = s.packets;
  d[k + BYTES] = s.bytes;
  d[k + PAYLOAD_BYTES] = s.payloadBytes;
  d[k + STATE] = tcpStateCode(s.state);
  d[k + FLAGS] = (s.synSeen ? SYN_SEEN : 0) | (s.finSent ? FIN_SENT : 0) | (s.rstSent ? RST_SENT : 0);
  writePayload(d, k + FIRST_DATA, s.firstDataFrame, s.firstDataAt, s.firstDataSeq, s.firstDataAck, s.firstDataLen);
  writePayload(d, k + LAST_DATA, s.lastDataFrame, s.lastDataAt, s.lastDataSeq, s.lastDataAck, s.lastDataLen);
  d[k + STATES] = stateCount;
}

function writePayload(d: Float64Array, k: number, frame: number, at: number, seq: number, ack: number, len: number): void {
  d[k + DATA_FRAME] = frame;
  d[k + DATA_AT] = at;
  d[k + DATA_SEQ] = seq;
  d[k + DATA_ACK] = ack;
  d[k + DATA_LEN] = len;
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

/** connectionViewOf without the filter, for what only the detectors and the facts read. */
export function connectionCoreOf(bytes: Buffer): ConnectionCore {
  return viewOf(bytes, false);
}

/** The view a spool takes with its record: with the filter only when the record is not kept, since the
 * spool then makes the JSON line of the view itself (see ConnectionSpool.add). */
export function spooledViewOf(bytes: Buffer, recordKept: boolean): ConnectionCore {
  return viewOf(bytes, !recordKept);
}

function viewOf(bytes: Buffer, withFilter: boolean): ConnectionCore {
  const d = doublesOf(bytes);
  const clientSide = d[CLIENT_SIDE];
  const c = SIDES + clientSide * SIDE_NUMBERS;
  const s = SIDES + (1 - clientSide) * SIDE_NUMBERS;
  let at = d[TEXT_START];
  const text = (length: number): string => {
    const t = bytes.toString('latin1', at, at + length);
    at += length;
    return t;
  };
  const address = (length: number): string => {
    const formatted = FORMATTED_ADDRESSES.at(bytes, at, length);
    at += length;
    return formatted;
  };
  const ipv4 = d[ADDR0_BYTES] === 4;
  const address0 = address(d[ADDR0_BYTES]);
  const address1 = address(d[ADDR1_BYTES]);
  const conn_state = text(d[CONN_STATE_BYTES]);
  const history = text(d[HISTORY_BYTES]);
  const clientAddress = clientSide === 0 ? address0 : address1;
  const serverAddress = clientSide === 0 ? address1 : address0;
  const clientPort = d[c + PORT];
  const serverPort = d[s + PORT];
  const start = d[START];
  const end = d[END];
  const firstFrame = d[FIRST_FRAME];
  const lastFrame = d[LAST_FRAME];
  let k = HEAD_NUMBERS;
  const timelines: StateChangeJson[][] = [[], []];
  for (let side = 0; side < 2; side++) {
    for (let n = d[SIDES + side * SIDE_NUMBERS + STATES]; n > 0; n--, k += STATE_NUMBERS) timelines[side].push(stateChange(d, k));
  }
  // Without the filter, it is there undefined: views of either kind have one shape for the detectors' code.
  const view: ConnectionCore & { filter: string | undefined } = {
    id: d[ID],
    client: joinEndpoint(clientAddress, ipv4, clientPort),
    server: joinEndpoint(serverAddress, ipv4, serverPort),
    start,
    end,
    duration_s: round6(end - start),
    first_frame: firstFrame,
    last_frame: lastFrame,
    partial: d[PARTIAL] === 1,
    previous: d[PREVIOUS] < 0 ? null : d[PREVIOUS],
    packets: { client: d[c + PACKETS], server: d[s + PACKETS] },
    bytes: { client: d[c + BYTES], server: d[s + BYTES] },
    payload_bytes: { client: d[c + PAYLOAD_BYTES], server: d[s + PAYLOAD_BYTES] },
    conn_state,
    history,
    ending: endingOf(d, c, s),
    final_state: { client: tcpStateOf(d[c + STATE]), server: tcpStateOf(d[s + STATE]) },
    states: { client: timelines[clientSide], server: timelines[1 - clientSide] },
    events: eventLog(d, k, clientSide),
    filter: withFilter ? connectionFilter(ipv4, clientAddress, clientPort, serverAddress, serverPort, firstFrame, lastFrame) : undefined,
  };
  return view;
}

/** The event log from `d[k]` on, with each side's first and last payload merged in, in frame order. A
 * first payload goes where `update` would have logged it among its segment's events (see AFTER_DATA); a
 * last payload after all of them. Put in order by insertion: the log is nearly in order already, and a
 * sort would allocate scratch space for each of hundreds of thousands of connections. Stable, as sort is. */
function eventLog(d: Float64Array, k: number, clientSide: number): ConnEvent[] {
  const log: ConnEvent[] = [];
  for (let n = d[EVENTS]; n > 0; n--, k += EVENT_NUMBERS) log.push(loggedEvent(d, k, clientSide));
  for (let side = 0; side < 2; side++) {
    const first = SIDES + side * SIDE_NUMBERS + FIRST_DATA;
    const frame = d[first + DATA_FRAME];
    if (frame === 0) continue;
    let at = 0;
    while (at < log.length && (log[at].frame < frame || (log[at].frame === frame && !AFTER_DATA.has(log[at].type)))) at++;
    log.splice(at, 0, payloadEvent('first-data', d, first, side === clientSide ? 'client' : 'server'));
  }
  for (let side = 0; side < 2; side++) {
    const k = SIDES + side * SIDE_NUMBERS;
    if (d[k + FIRST_DATA + DATA_FRAME] === 0) continue;
    log.push(payloadEvent('last-data', d, k + LAST_DATA, side === clientSide ? 'client' : 'server'));
  }
  for (let i = 1; i < log.length; i++) {
    const e = log[i];
    let j = i;
    for (; j > 0 && log[j - 1].frame > e.frame; j--) log[j] = log[j - 1];
    log[j] = e;
  }
  return log;
}

function payloadEvent(type: 'first-data' | 'last-data', d: Float64Array, k: number, by: Role): ConnEvent {
  return eventOf(type, by, d[k + DATA_AT], d[k + DATA_FRAME], d[k + DATA_SEQ], d[k + DATA_ACK], d[k + DATA_LEN], undefined, undefined, undefined);
}

/** How the connection whose client and server sides' numbers start at `c` and `s` ended. */
function endingOf(d: Float64Array, c: number, s: number): Ending {
  const client = d[c + FLAGS];
  const server = d[s + FLAGS];
  const fins = ((client & FIN_SENT) !== 0 ? 1 : 0) + ((server & FIN_SENT) !== 0 ? 1 : 0);
  if (((client | server) & RST_SENT) !== 0) return fins > 0 ? 'fin-rst' : 'rst';
  if (fins === 2) return 'fin';
  if (fins === 1) return 'half-closed';
  return (client & SYN_SEEN) !== 0 && (server & SYN_SEEN) === 0 && d[s + PACKETS] === 0 ? 'unanswered' : 'open';
}

/** A Wireshark display filter showing exactly this connection's packets (the frame range keeps
 * other incarnations of the same 4-tuple out). */
function connectionFilter(
  ipv4: boolean, clientAddress: string, clientPort: number, serverAddress: string, serverPort: number, firstFrame: number, lastFrame: number,
): string {
  const ip = ipv4 ? 'ip' : 'ipv6';
  // Joined, not concatenated: one flat string instead of a rope of a dozen pieces kept per connection.
  return [
    ip, '.addr==', clientAddress, ' && tcp.port==', clientPort, ' && ', ip, '.addr==', serverAddress, ' && tcp.port==', serverPort,
    ' && frame.number>=', firstFrame, ' && frame.number<=', lastFrame,
  ].join('');
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The doubles at the head of `bytes`, copied when `bytes` does not start on an 8-byte boundary. */
function doublesOf(bytes: Buffer): Float64Array {
  if ((bytes.byteOffset & 7) === 0) return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length >> 3);
  const copy = new Float64Array(bytes.length >> 3);
  new Uint8Array(copy.buffer).set(bytes.subarray(0, copy.length * 8));
  return copy;
}
