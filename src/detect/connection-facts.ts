/** What the detectors that look at a whole listener or the whole capture, the listener table, the summary
 * and the HTML timelines need of each connection, taken from its view as it retires: a few hundred bytes
 * instead of the view's few thousand, so that views need not be kept to the end of the capture. */
import { ENDINGS, type ConnectionCore, type Ending, type EventJson, type Role } from '../tcp/connection-view';
import { acceptMoments, type AcceptMoments } from './accept-delay';
import { events, finsInOrder, firstEvent } from './conn-facts';
import { halfCloseMoments, type HalfCloseMoments } from './half-closed';
import { FactsPages, type PageStore, type Paging } from './facts-pages';
import { StringTable } from './string-table';
import { emptyArrayOf } from '../flow/empty-arrays';

/** When something happened on the wire. */
export interface Moment {
  at: number;
  frame: number;
}

/** The first FIN or RST of a connection: who ended it, when, after how long idle. */
export interface CloseFacts extends Moment {
  by: Role;
  idleS: number | null;
}

/** What became of a connection attempt (see syn-unanswered). */
export type AttemptOutcome = 'unanswered' | 'answered-late' | null;

export interface ConnectionFacts {
  id: number;
  client: string;
  server: string;
  start: number;
  end: number;
  partial: boolean;
  ending: Ending;
  connState: string;
  history: string;
  handshakeAt: number | null;
  acceptWait: AcceptMoments<Moment> | null;
  close: CloseFacts | null;
  /** Times of the server's FIN and of every RST, in the order logged: where serving it ended. */
  serviceEnds: readonly number[];
  halfClose: HalfCloseMoments | null;
  /** From the first FIN to the other side's FIN. */
  finDelayS: number | null;
  attempt: AttemptOutcome;
  /** For attempts only (else empty): seconds from the SYN to each retransmission, and the frames of the
   * first SYN and of its retransmissions. */
  synRetransmitOffsets: readonly number[];
  synFrames: readonly number[];
  /** The client's SYN (null: none seen), and whether the server answered it or reset (see port-scan). */
  clientSynFrame: number | null;
  serverSynAck: boolean;
  serverRst: boolean;
}

/** Connections' facts by id, read one connection at a time: a long capture has millions, too many to
 * hold as objects all at once (as objects, (c)'s were the largest part of its report phase's memory). */
export interface FactsById {
  /** Every connection's id, in id order. */
  readonly ids: ArrayLike<number> & Iterable<number>;
  /** The facts of connection `id` (one of `ids`), as a new object: read what is needed, let it go. */
  factsAt(id: number): ConnectionFacts;
}

/** The ids of each listener's connections, listeners in order of first appearance. Each connection's
 * facts are read once; the ids are counted first, then filled: one typed array of the right size each (a
 * listener of a long capture has millions, and a number array grew by copying). */
export function idsByListener(conns: FactsById): Map<string, Uint32Array> {
  const numbers = new Map<string, number>();
  const counts: number[] = [];
  const listenerOf = new Uint32Array(conns.ids.length);
  let k = 0;
  for (const id of conns.ids) {
    const { server } = conns.factsAt(id);
    let n = numbers.get(server);
    if (n === undefined) {
      n = counts.length;
      numbers.set(server, n);
      counts.push(0);
    }
    counts[n]++;
    listenerOf[k++] = n;
  }
  const lists = counts.map((count) => new Uint32Array(count));
  counts.fill(0);
  k = 0;
  for (const id of conns.ids) {
    const n = listenerOf[k++];
    lists[n][counts[n]++] = id;
  }
  return new Map([...numbers.keys()].map((listener, n) => [listener, lists[n]]));
}

/** Empty, of the kind of an array of times (doubles, see emptyArrayOf): most lists here are of times. */
const NONE: readonly number[] = emptyArrayOf(0.5);

export function factsOf(conn: ConnectionCore): ConnectionFacts {
  const wait = acceptMoments(conn);
  const close = conn.events.find((e) => e.type === 'fin' || e.type === 'rst');
  const { first, second } = finsInOrder(conn);
  const attempt = attemptOutcome(conn);
  const clientSyn = firstEvent(conn, 'syn', 'client');
  return {
    id: conn.id,
    client: conn.client,
    server: conn.server,
    start: conn.start,
    end: conn.end,
    partial: conn.partial,
    ending: conn.ending,
    connState: conn.conn_state,
    history: conn.history,
    handshakeAt: firstEvent(conn, 'handshake-complete')?.at ?? null,
    acceptWait: wait && { handshake: moment(wait.handshake), request: moment(wait.request), release: wait.release && moment(wait.release) },
    close: close ? { at: close.at, frame: close.frame, by: close.by, idleS: close.idle_s ?? null } : null,
    serviceEnds: endsOfService(conn.events),
    halfClose: halfCloseMoments(conn),
    finDelayS: first && second ? second.at - first.at : null,
    attempt,
    synRetransmitOffsets: attempt === null ? NONE : retransmitOffsets(conn),
    synFrames: attempt === null ? NONE : [firstEvent(conn, 'syn')?.frame ?? conn.first_frame, ...events(conn, 'syn-retransmit').map((e) => e.frame)],
    clientSynFrame: clientSyn?.frame ?? null,
    serverSynAck: firstEvent(conn, 'syn-ack', 'server') !== undefined,
    serverRst: firstEvent(conn, 'rst', 'server') !== undefined,
  };
}

function moment(e: EventJson): Moment {
  return { at: e.at, frame: e.frame };
}

function endsOfService(log: readonly EventJson[]): readonly number[] {
  let ends: number[] | null = null;
  for (const e of log) if ((e.by === 'server' && e.type === 'fin') || e.type === 'rst') (ends ??= []).push(e.at);
  return ends ?? NONE;
}

/** Never answered (the client sent nothing but SYNs and the server nothing at all: a client that sent
 * anything else had its SYN answered, even if the capture missed the answer), answered only after a SYN
 * retransmission (a retry after a challenge ACK is port-reuse's story, not a dropped SYN), or neither. */
function attemptOutcome(c: ConnectionCore): AttemptOutcome {
  let synSent = false;
  let clientSyns = 0;
  let firstRetransmitFrame = Infinity;
  let synAckFrame = Infinity;
  let challenged = false;
  for (const e of c.events) {
    if (e.type === 'syn' && e.by === 'client') {
      synSent = true;
      clientSyns++;
    } else if (e.type === 'syn-retransmit' && e.by === 'client') {
      clientSyns++;
      firstRetransmitFrame = Math.min(firstRetransmitFrame, e.frame);
    } else if (e.type === 'syn-ack' && e.by === 'server') {
      if (synAckFrame === Infinity) synAckFrame = e.frame;
    } else if (e.type === 'challenge-ack') {
      challenged = true;
    }
  }
  if (synSent && c.packets.server === 0 && c.packets.client === clientSyns) return 'unanswered';
  return synAckFrame !== Infinity && !challenged && firstRetransmitFrame < synAckFrame ? 'answered-late' : null;
}

/** Seconds between the client's SYN and each of its retransmissions. */
function retransmitOffsets(conn: ConnectionCore): number[] {
  const syn = firstEvent(conn, 'syn', 'client');
  return syn ? events(conn, 'syn-retransmit', 'client').map((e) => e.at - syn.at) : [];
}

const ATTEMPTS: readonly AttemptOutcome[] = [null, 'unanswered', 'answered-late'];
const ROLES: readonly Role[] = ['client', 'server'];

// Bits of a connection's flags.
const PRESENT = 1;
const PARTIAL = 2;
const SERVER_SYN_ACK = 4;
const SERVER_RST = 8;
const CLOSED_BY_SERVER = 16;
/** It has more than one end of service (the rest in FactsTable.moreServiceEnds): most have one, and are
 * not looked up there. */
const MORE_SERVICE_ENDS = 32;

// A connection's times, side by side in FactsTable.times; NaN stands for null.
const START = 0;
const END = 1;
const HANDSHAKE_AT = 2;
const WAIT_HANDSHAKE_AT = 3;
const WAIT_REQUEST_AT = 4;
const WAIT_RELEASE_AT = 5;
const CLOSE_AT = 6;
const CLOSE_IDLE_S = 7;
const HALF_CLOSE_ACK_AT = 8;
/** Infinity: half-closed to the end of the capture (endAt null); NaN: no half-close. */
const HALF_CLOSE_END_AT = 9;
const FIN_DELAY_S = 10;
const SERVICE_END = 11;
const TIMES = 12;
// Its frame numbers in FactsTable.frames (NaN stands for null; a merged set of rotated captures can pass 2^32).
const WAIT_HANDSHAKE_FRAME = 0;
const WAIT_REQUEST_FRAME = 1;
const WAIT_RELEASE_FRAME = 2;
const CLOSE_FRAME = 3;
const CLIENT_SYN_FRAME = 4;
const FRAMES = 5;
// Its small codes in FactsTable.codes: flags, ENDINGS and ATTEMPTS indices.
const FLAGS = 0;
const ENDING = 1;
const ATTEMPT = 2;
const CODES = 3;
// Its references in FactsTable.refs: `texts` indices and the client's port.
const CONN_STATE = 0;
const HISTORY = 1;
/** "address:" of the client, or the whole client when it does not end in a port (CLIENT_PORT is NO_PORT). */
const CLIENT_ADDRESS = 2;
const CLIENT_PORT = 3;
const SERVER = 4;
const REFS = 5;
const NO_PORT = 0xffffffff;

/** Every connection's facts by id, in typed arrays (pages of them, see FactsPages): 160 bytes a connection,
 * none of them objects the garbage collector has to visit (as objects, facts cost about 780 bytes each, and
 * on 200,000 connections seconds of garbage collection, measured). Strings many connections share
 * (listeners, client addresses, conn_state, history) are kept once. `at(id)` reads one connection's facts
 * through a small object; the parts that are objects or lists are made when read, so read each once. */
export class FactsTable {
  private size = 0;
  private readonly pages: FactsPages;
  private readonly texts = new StringTable();
  /** What only some connections have more than one of: the second and later ends of service, and an
   * attempt's SYN retransmission offsets and frames. */
  private readonly moreServiceEnds = new Map<number, readonly number[]>();
  private readonly synRetransmits = new Map<number, { offsets: readonly number[]; frames: readonly number[] }>();
  private present: Uint32Array | null = null;

  /** `store`: where pages not in use go (none: all stay in memory); `paging`: tests make pages small. */
  constructor(store: PageStore | null = null, paging?: Paging) {
    this.pages = new FactsPages({ times: TIMES, frames: FRAMES, refs: REFS, codes: CODES }, store, paging);
  }

  /** See FactsPages.keepAllWithin. */
  keepAllWithin(bytes: number): void {
    this.pages.keepAllWithin(bytes, this.size);
  }

  /** One past the highest id taken. */
  get length(): number {
    return this.size;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.size && (this.pages.of(id).codes[this.pages.slotOf(id) * CODES + FLAGS] & PRESENT) !== 0;
  }

  /** Takes the facts of connection `f.id` (each id once, in any order). */
  add(f: ConnectionFacts): void {
    const id = f.id;
    if (this.has(id)) throw new Error(`connection #${id} has facts already`);
    const ending = ENDINGS.indexOf(f.ending);
    const attempt = ATTEMPTS.indexOf(f.attempt);
    if (ending < 0 || attempt < 0) throw new Error(`connection #${id}: no column value for ${f.ending} / ${f.attempt}`);
    if (id >= this.size) this.size = id + 1;
    this.present = null;
    const page = this.pages.of(id);
    page.dirty = true;
    const slot = this.pages.slotOf(id);
    const c = page.codes;
    const ci = slot * CODES;
    c[ci + FLAGS] = PRESENT | (f.partial ? PARTIAL : 0) | (f.serverSynAck ? SERVER_SYN_ACK : 0) | (f.serverRst ? SERVER_RST : 0)
      | (f.close?.by === 'server' ? CLOSED_BY_SERVER : 0) | (f.serviceEnds.length > 1 ? MORE_SERVICE_ENDS : 0);
    c[ci + ENDING] = ending;
    c[ci + ATTEMPT] = attempt;
    const r = page.refs;
    const ri = slot * REFS;
    r[ri + CONN_STATE] = this.texts.numberOf(f.connState);
    r[ri + HISTORY] = this.texts.numberOf(f.history);
    r[ri + SERVER] = this.texts.numberOf(f.server);
    const colon = f.client.lastIndexOf(':');
    const port = f.client.slice(colon + 1);
    const portNumber = Number(port);
    if (colon > 0 && Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 0xffff && String(portNumber) === port) {
      r[ri + CLIENT_ADDRESS] = this.texts.numberOf(f.client.slice(0, colon + 1));
      r[ri + CLIENT_PORT] = portNumber;
    } else {
      r[ri + CLIENT_ADDRESS] = this.texts.numberOf(f.client);
      r[ri + CLIENT_PORT] = NO_PORT;
    }
    const t = page.times;
    const ti = slot * TIMES;
    const w = f.acceptWait;
    t[ti + START] = f.start;
    t[ti + END] = f.end;
    t[ti + HANDSHAKE_AT] = f.handshakeAt ?? NaN;
    t[ti + WAIT_HANDSHAKE_AT] = w ? w.handshake.at : NaN;
    t[ti + WAIT_REQUEST_AT] = w ? w.request.at : NaN;
    t[ti + WAIT_RELEASE_AT] = w?.release ? w.release.at : NaN;
    t[ti + CLOSE_AT] = f.close ? f.close.at : NaN;
    t[ti + CLOSE_IDLE_S] = f.close?.idleS ?? NaN;
    t[ti + HALF_CLOSE_ACK_AT] = f.halfClose ? f.halfClose.ackAt : NaN;
    t[ti + HALF_CLOSE_END_AT] = f.halfClose ? f.halfClose.endAt ?? Infinity : NaN;
    t[ti + FIN_DELAY_S] = f.finDelayS ?? NaN;
    t[ti + SERVICE_END] = f.serviceEnds.length > 0 ? f.serviceEnds[0] : NaN;
    const n = page.frames;
    const ni = slot * FRAMES;
    n[ni + WAIT_HANDSHAKE_FRAME] = w ? w.handshake.frame : NaN;
    n[ni + WAIT_REQUEST_FRAME] = w ? w.request.frame : NaN;
    n[ni + WAIT_RELEASE_FRAME] = w?.release ? w.release.frame : NaN;
    n[ni + CLOSE_FRAME] = f.close ? f.close.frame : NaN;
    n[ni + CLIENT_SYN_FRAME] = f.clientSynFrame ?? NaN;
    if (f.serviceEnds.length > 1) this.moreServiceEnds.set(id, f.serviceEnds.slice(1));
    // An attempt's one SYN, never retransmitted, is its clientSynFrame (most attempts: a Map entry each
    // was 200 bytes for the whole capture).
    const onlySyn = f.attempt !== null && f.synRetransmitOffsets.length === 0 && f.synFrames.length === 1 && f.synFrames[0] === f.clientSynFrame;
    if (!onlySyn && (f.synRetransmitOffsets.length > 0 || f.synFrames.length > 0)) this.synRetransmits.set(id, { offsets: f.synRetransmitOffsets, frames: f.synFrames });
  }

  /** Takes back the facts of connection `id`, so that they can be taken again (see ConnectionSpool.forget). */
  forget(id: number): void {
    if (!this.has(id)) throw new Error(`connection #${id} has no facts to take back`);
    const page = this.pages.of(id);
    page.dirty = true;
    page.codes[this.pages.slotOf(id) * CODES + FLAGS] = 0;
    this.moreServiceEnds.delete(id);
    this.synRetransmits.delete(id);
    this.present = null;
  }

  /** Every connection's facts, in id order: a new array of new objects each time (see FactsById). */
  all(): ConnectionFacts[] {
    return Array.from(this.ids(), (id) => new FactsReader(this, id));
  }

  /** The ids taken, in order. */
  ids(): Uint32Array {
    if (this.present === null) {
      let n = 0;
      for (let id = 0; id < this.size; id++) if (this.has(id)) n++;
      this.present = new Uint32Array(n);
      n = 0;
      for (let id = 0; id < this.size; id++) if (this.has(id)) this.present[n++] = id;
    }
    return this.present;
  }

  /** The facts of connection `id`, which must have been added. */
  at(id: number): ConnectionFacts {
    if (!this.has(id)) throw new Error(`no facts of connection #${id}`);
    return new FactsReader(this, id);
  }

  /** Time `k` of connection `id`, null for NaN. */
  time(id: number, k: number): number | null {
    return orNull(this.pages.of(id).times[this.pages.slotOf(id) * TIMES + k]);
  }

  /** Frame number `k` of connection `id`, or null. */
  frame(id: number, k: number): number | null {
    return orNull(this.pages.of(id).frames[this.pages.slotOf(id) * FRAMES + k]);
  }

  flag(id: number, bit: number): boolean {
    return (this.code(id, FLAGS) & bit) !== 0;
  }

  client(id: number): string {
    const address = this.texts.at(this.ref(id, CLIENT_ADDRESS));
    const port = this.ref(id, CLIENT_PORT);
    return port === NO_PORT ? address : address + port;
  }

  server(id: number): string { return this.texts.at(this.ref(id, SERVER)); }
  endingOf(id: number): Ending { return ENDINGS[this.code(id, ENDING)]; }
  attemptOf(id: number): AttemptOutcome { return ATTEMPTS[this.code(id, ATTEMPT)]; }
  connStateOf(id: number): string { return this.texts.at(this.ref(id, CONN_STATE)); }
  historyOf(id: number): string { return this.texts.at(this.ref(id, HISTORY)); }
  moreServiceEndsOf(id: number): readonly number[] { return this.flag(id, MORE_SERVICE_ENDS) ? (this.moreServiceEnds.get(id) ?? NONE) : NONE; }
  synRetransmitsOf(id: number): { offsets: readonly number[]; frames: readonly number[] } | undefined { return this.synRetransmits.get(id); }

  private code(id: number, k: number): number {
    return this.pages.of(id).codes[this.pages.slotOf(id) * CODES + k];
  }

  private ref(id: number, k: number): number {
    return this.pages.of(id).refs[this.pages.slotOf(id) * REFS + k];
  }
}

function orNull(value: number): number | null {
  return value === value ? value : null;
}

/** One connection's facts, read from the table as they are asked for. */
class FactsReader implements ConnectionFacts {
  constructor(private readonly table: FactsTable, readonly id: number) {}

  get client(): string { return this.table.client(this.id); }
  get server(): string { return this.table.server(this.id); }
  get start(): number { return this.table.time(this.id, START) ?? NaN; }
  get end(): number { return this.table.time(this.id, END) ?? NaN; }
  get partial(): boolean { return this.table.flag(this.id, PARTIAL); }
  get ending(): Ending { return this.table.endingOf(this.id); }
  get connState(): string { return this.table.connStateOf(this.id); }
  get history(): string { return this.table.historyOf(this.id); }
  get handshakeAt(): number | null { return this.table.time(this.id, HANDSHAKE_AT); }
  get acceptWait(): AcceptMoments<Moment> | null {
    const t = this.table;
    const id = this.id;
    const handshakeAt = t.time(id, WAIT_HANDSHAKE_AT);
    if (handshakeAt === null) return null;
    const releaseAt = t.time(id, WAIT_RELEASE_AT);
    return {
      handshake: { at: handshakeAt, frame: t.frame(id, WAIT_HANDSHAKE_FRAME) ?? 0 },
      request: { at: t.time(id, WAIT_REQUEST_AT) ?? 0, frame: t.frame(id, WAIT_REQUEST_FRAME) ?? 0 },
      release: releaseAt === null ? undefined : { at: releaseAt, frame: t.frame(id, WAIT_RELEASE_FRAME) ?? 0 },
    };
  }
  get close(): CloseFacts | null {
    const t = this.table;
    const at = t.time(this.id, CLOSE_AT);
    if (at === null) return null;
    return { at, frame: t.frame(this.id, CLOSE_FRAME) ?? 0, by: ROLES[t.flag(this.id, CLOSED_BY_SERVER) ? 1 : 0], idleS: t.time(this.id, CLOSE_IDLE_S) };
  }
  get serviceEnds(): readonly number[] {
    const first = this.table.time(this.id, SERVICE_END);
    if (first === null) return NONE;
    const more = this.table.moreServiceEndsOf(this.id);
    return more.length === 0 ? [first] : [first, ...more];
  }
  get halfClose(): HalfCloseMoments | null {
    const ackAt = this.table.time(this.id, HALF_CLOSE_ACK_AT);
    if (ackAt === null) return null;
    const endAt = this.table.time(this.id, HALF_CLOSE_END_AT);
    return { ackAt, endAt: endAt === Infinity ? null : endAt };
  }
  get finDelayS(): number | null { return this.table.time(this.id, FIN_DELAY_S); }
  get attempt(): AttemptOutcome { return this.table.attemptOf(this.id); }
  get synRetransmitOffsets(): readonly number[] { return this.table.synRetransmitsOf(this.id)?.offsets ?? NONE; }
  get synFrames(): readonly number[] {
    const t = this.table;
    const frame = t.frame(this.id, CLIENT_SYN_FRAME);
    return t.synRetransmitsOf(this.id)?.frames ?? (t.attemptOf(this.id) !== null && frame !== null ? [frame] : NONE);
  }
  get clientSynFrame(): number | null { return this.table.frame(this.id, CLIENT_SYN_FRAME); }
  get serverSynAck(): boolean { return this.table.flag(this.id, SERVER_SYN_ACK); }
  get serverRst(): boolean { return this.table.flag(this.id, SERVER_RST); }
}
