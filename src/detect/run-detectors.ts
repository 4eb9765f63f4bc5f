import { quantileSorted } from 'd3-array';
import { fmtDuration } from '../format';
import type { ConnectionCore } from '../tcp/connection-view';
import type { ConnEventType } from '../tcp/events';
import { idsByListener, type ConnectionFacts, type FactsById } from './connection-facts';
import { FindingList, FindingStore, type TextStore } from './finding-list';
import { readFound } from './found-bytes';
import { Uint32Pages } from '../flow/id-pages';
import type { ConnectionDetector, DetectContext, Detector, ScanGroups } from './detector';
import { SEVERITY_RANK, type Finding, type FindingKind, type Severity } from './finding';
import { scanGroups } from './port-scan';
import { DETECTORS } from './registry';
import type { Thresholds } from './thresholds';

export interface DurationStats {
  min: number;
  median: number;
  p95: number;
  max: number;
}

/** All findings of one kind on one listener, counted and summarised. */
export interface Incident {
  kind: FindingKind;
  severity: Severity;
  listener: string | null;
  findings: number;
  connections: number;
  first_at: number;
  last_at: number;
  duration: DurationStats | null;
  /** How many durations are lower bounds (the capture ended first). */
  lower_bounds: number;
  summary: string;
  /** Indices into `findings` of the report. */
  finding_indices: number[];
  /** The connection that shows the incident best (the longest duration), for diagrams and first looks. */
  representative: number | null;
}

export interface DetectOptions {
  thresholds: Thresholds;
  /** Only these kinds (all when undefined). */
  only?: readonly FindingKind[];
}

export interface Detection {
  findings: FindingList;
  incidents: Incident[];
  /** Each listener's connection ids (see idsByListener), for the report's listener table. */
  listeners: Map<string, Uint32Array>;
}

/** Thrown by the context detectors see at retirement when they ask what only the end of the capture
 * knows; the detector is run on that connection again at the end. Not an Error: no stack to capture. */
const AT_THE_END: unique symbol = Symbol('asks what only the end of the capture knows');

function atTheEnd(): never {
  throw AT_THE_END;
}

/** The connection-scope detectors as each connection retires, on whichever thread has the time (see
 * RetirementFindings): a detector that asks for the capture's time span or another connection has its
 * answer deferred to the end; one that asks whether the connection is a port-scan probe is told no, since
 * probes are rare. */
export class RetirementDetectors {
  readonly detectors: readonly ConnectionDetector[];
  private readonly needs: number[];
  private readonly ctx: DetectContext;
  /** The detector running, the connection it looks at, and that connection's ASSUMED bits. */
  private running = 0;
  private runningOn = -1;
  private assumed = 0;

  constructor(options: DetectOptions) {
    this.detectors = connectionDetectors(options);
    // Two bits per detector in RetirementFindings.deferred, beside SEEN.
    if (this.detectors.length > ASSUMED) throw new Error('more connection detectors than bits in a deferral mask');
    this.needs = this.detectors.map((d) => typesMask(d.needs));
    this.ctx = {
      thresholds: options.thresholds,
      get captureStart(): number { return atTheEnd(); },
      get captureEnd(): number { return atTheEnd(); },
      get scans(): ScanGroups { return atTheEnd(); },
      connection: atTheEnd,
      isScan: (id) => {
        // Only the connection looked at is told: the answer is checked against its id at the end.
        if (id !== this.runningOn) return atTheEnd();
        this.assumed |= 1 << (ASSUMED + this.running);
        return false;
      },
    };
  }

  /** Runs the detectors on `conn`, `found` getting what detector k finds; returns the connection's bits
   * (see RetirementFindings.deferred, SEEN left out). */
  run(conn: ConnectionCore, found: (k: number, finding: Finding) => void): number {
    const present = eventTypesOf(conn);
    let deferred = 0;
    this.assumed = 0;
    this.runningOn = conn.id;
    for (let k = 0; k < this.detectors.length; k++) {
      if ((present & this.needs[k]) !== this.needs[k]) continue;
      this.running = k;
      try {
        for (const finding of this.detectors[k].detect(conn, this.ctx)) found(k, finding);
      } catch (err) {
        if (err !== AT_THE_END) throw err;
        deferred |= 1 << k;
      }
    }
    return deferred | this.assumed;
  }
}

/** Connection-scope findings made as each connection retires, while its data is still fresh in memory
 * (going over 200,000 retained connections once per detector at the end costs seconds in cache misses),
 * and put away in the store's text store (see FindingList). The detectors run here (see
 * RetirementDetectors), or on the replay thread, which hands over what they found (see found-bytes.ts).
 * What a detector deferred runDetectors runs on that connection again at the end; where a connection a
 * detector was told is no probe turns out to be one, what it found is dropped and it runs again at the end
 * (reading a connection back costs a read of the temporary file, and every reset connection asks).
 * Findings come out the same. */
export class RetirementFindings {
  /** Every finding of the report: those made here, and those runDetectors makes at the end. */
  readonly store: FindingStore;
  private readonly detection: RetirementDetectors;
  /** Per detector, in retirement order: the findings' entries in `store` and their connections. */
  private readonly found: Found[];
  /** Per connection id: bit k set when detector k must run at the end, bit ASSUMED + k when it was told
   * the connection is no probe, SEEN once it has retired (a typed column: a number array indexed by id
   * cost 8 to 12 bytes a connection, for the whole capture). */
  private readonly deferred = new Uint32Pages();
  /** Per connection taken back (see forget): the store's entries below this are not its findings (0 for
   * the others; a column, not a Map: a capture whose last packets all come twice takes every one back). */
  private readonly retracted = new Uint32Pages();
  /** Ids `retracted` has room for. */
  private retractedRoom = 0;

  /** `texts`: where findings are put away (none: kept as objects). */
  constructor(options: DetectOptions, texts: TextStore | null = null) {
    this.store = new FindingStore(texts);
    this.detection = new RetirementDetectors(options);
    this.found = this.detection.detectors.map(() => ({ entries: [], connections: [] }));
  }

  add(conn: ConnectionCore): void {
    const { id } = conn;
    this.retired(id, this.detection.run(conn, (k, finding) => this.keep(k, id, this.store.add(finding, true))));
  }

  /** Takes back what was found on connection `id`, which comes again (see replay-thread.ts, retract):
   * its findings so far stay in the store, but foundBy leaves them out. */
  forget(id: number): void {
    this.retractedRoom = this.retracted.ensure(id);
    this.retracted.set(id, 0, this.store.length);
    this.deferred.ensure(id);
    this.deferred.set(id, 0, 0);
  }

  /** What the detectors found on a connection on another thread, as FoundWriter wrote it. */
  addFound(bytes: Buffer): void {
    const { id, bits } = readFound(bytes, (connection, k, head, json, measures) => this.keep(k, connection, this.store.addText(head, json, measures)));
    this.retired(id, bits);
  }

  private keep(k: number, id: number, entry: number): void {
    const found = this.found[k];
    found.entries.push(entry);
    found.connections.push(id);
  }

  private retired(id: number, bits: number): void {
    this.deferred.ensure(id);
    this.deferred.set(id, 0, bits | SEEN);
  }

  /** Which k stands for detector `d` here (-1: not run at retirement, e.g. left out by --only). */
  indexOf(d: ConnectionDetector): number {
    return this.detection.detectors.indexOf(d);
  }

  /** What detector k found so far, less what it found on connections it was wrongly told are no probes. */
  foundBy(k: number, isProbe: (id: number) => boolean): Found {
    const { entries, connections } = this.found[k];
    const kept: Found = { entries: [], connections: [] };
    for (let i = 0; i < entries.length; i++) {
      if (this.misled(k, connections[i], isProbe) || entries[i] < this.retractedBelow(connections[i])) continue;
      kept.entries.push(entries[i]);
      kept.connections.push(connections[i]);
    }
    return kept;
  }

  /** Detector k still has to look at connection `id`: it has not retired, k asked about the end, or k was
   * told it is no probe and it is one. */
  pending(k: number, id: number, isProbe: (id: number) => boolean): boolean {
    this.deferred.ensure(id);
    const deferred = this.deferred.get(id);
    return (deferred & SEEN) === 0 || (deferred & (1 << k)) !== 0 || this.misled(k, id, isProbe);
  }

  private retractedBelow(id: number): number {
    return id < this.retractedRoom ? this.retracted.get(id) : 0;
  }

  private misled(k: number, id: number, isProbe: (id: number) => boolean): boolean {
    return (this.deferred.get(id) & (1 << (ASSUMED + k))) !== 0 && isProbe(id);
  }
}

/** Bits of RetirementFindings.deferred: from ASSUMED + k, detector k was told the connection is no probe;
 * SEEN, the connection has retired. */
const ASSUMED = 15;
const SEEN = 2 ** 31;

/** Findings' entries in a FindingStore, and the connection each is about, side by side. */
interface Found {
  entries: number[];
  connections: number[];
}

/** The detectors --only leaves in (all when it is not given), in registry order. */
function selectedDetectors(options: DetectOptions): Detector[] {
  return DETECTORS.filter((d) => !options.only || options.only.includes(d.kind));
}

function connectionDetectors(options: DetectOptions): ConnectionDetector[] {
  return selectedDetectors(options).filter((d): d is ConnectionDetector => d.scope === 'connection');
}

/** The connections as the detectors see them: the facts of any (by id), and the view of any. `facts` has
 * every one's facts at once, for small reports and the HTML report. */
export interface DetectInput extends FactsById {
  readonly facts: readonly ConnectionFacts[];
  view(id: number): ConnectionCore | undefined;
}

/** `retired`: connection-scope findings already made as connections retired (the rest are made here). */
export function runDetectors(
  connections: DetectInput, captureStart: number, captureEnd: number, options: DetectOptions, retired?: RetirementFindings,
): Detection {
  // Ids, not facts: one listener's facts are made when its detectors look at it, and let go after.
  const listeners = idsByListener(connections);
  const scans = scanGroups(connections, listeners.keys());
  const probes = new Set([...scans.values()].flat().map((c) => c.id));
  const ctx: DetectContext = {
    thresholds: options.thresholds, captureStart, captureEnd, scans, isScan: (id) => probes.has(id), connection: (id) => connections.view(id),
  };
  const store = retired?.store ?? new FindingStore();
  const detectors = selectedDetectors(options);
  const byConnection = connectionFindings(connections, detectors, ctx, store, retired);
  const entries: number[] = [];
  // Listener and capture findings are few: kept as objects (connection findings are put away).
  const keep = (found: readonly Finding[]): void => {
    for (const f of found) entries.push(store.add(f, false));
  };
  for (const d of detectors) {
    if (d.scope === 'connection') append(entries, byConnection.get(d) ?? []);
    else if (d.scope === 'listener') {
      for (const [listener, ids] of listeners) keep(d.detect(listener, { length: ids.length, at: (i) => connections.factsAt(ids[i]) }, ctx));
    }
    else keep(d.detect(connections, ctx));
  }
  const findings = new FindingList(store, entries);
  return { findings, incidents: groupIncidents(findings, detectors), listeners };
}

/** What each connection-scope detector finds (entries in `store`, put away: a detector deferred to the end
 * can find something on a tenth of a long capture's connections), in connection order: those made at
 * retirement, and the rest made here in one pass over the connections, each view read (from the spool)
 * once for all of them. */
function connectionFindings(
  connections: DetectInput, detectors: readonly Detector[], ctx: DetectContext, store: FindingStore, retired: RetirementFindings | undefined,
): Map<Detector, number[]> {
  const runs = detectors.filter((d): d is ConnectionDetector => d.scope === 'connection').map((d) => {
    const k = retired?.indexOf(d) ?? -1;
    const early = k >= 0 ? retired : undefined;
    const found = early?.foundBy(k, ctx.isScan);
    return { d, k, early, needs: typesMask(d.needs), entries: found?.entries ?? [], ids: found?.connections ?? [] };
  });
  for (const id of connections.ids) {
    let view: ConnectionCore | undefined;
    let types = 0;
    for (const run of runs) {
      if (run.early && !run.early.pending(run.k, id, ctx.isScan)) continue;
      if (view === undefined) {
        view = connections.view(id);
        if (!view) throw new Error(`connection #${id} has facts but no view`);
        types = eventTypesOf(view);
      }
      if ((types & run.needs) !== run.needs) continue;
      for (const f of run.d.detect(view, ctx)) {
        run.entries.push(store.add(f, true));
        run.ids.push(id);
      }
    }
  }
  // Connections retire out of id order; findings are reported in it (a stable sort keeps one's findings in order).
  return new Map(runs.map((run) => [run.d, run.early ? byConnection(run.entries, run.ids) : run.entries]));
}

/** `entries` in the order of their connections `ids`, stably. */
function byConnection(entries: readonly number[], ids: readonly number[]): number[] {
  const order = [...entries.keys()].sort((a, b) => ids[a] - ids[b]);
  return order.map((i) => entries[i]);
}

/** One bit per event type: which types a log holds, tested against what a detector needs in one step. */
const TYPE_BIT: Readonly<Record<ConnEventType, number>> = {
  syn: 1 << 0, 'syn-retransmit': 1 << 1, 'syn-ack': 1 << 2, 'syn-ack-retransmit': 1 << 3, 'challenge-ack': 1 << 4,
  'handshake-complete': 1 << 5, 'first-data': 1 << 6, 'last-data': 1 << 7, fin: 1 << 8, 'fin-retransmit': 1 << 9,
  'fin-ack': 1 << 10, rst: 1 << 11, 'zero-window': 1 << 12, 'window-reopen': 1 << 13,
};

function typesMask(types: readonly ConnEventType[]): number {
  let mask = 0;
  for (const type of types) mask |= TYPE_BIT[type];
  return mask;
}

function eventTypesOf(conn: ConnectionCore): number {
  let mask = 0;
  for (const e of conn.events) mask |= TYPE_BIT[e.type];
  return mask;
}

function append<T>(into: T[], items: T[]): void {
  for (const item of items) into.push(item);
}

export function durationRange(stats: DurationStats | null): string {
  if (!stats) return '';
  return stats.min === stats.max ? fmtDuration(stats.max) : `${fmtDuration(stats.min).replace(/ (ms|s|min|h)$/, '')}–${fmtDuration(stats.max)}`;
}

/** What an incident sums up of its findings `indices`, in one pass over their columns (an incident can
 * have hundreds of thousands of findings): their durations sorted, how many connections they are about,
 * the longest (the first of the longest), the worst severity, how many are lower bounds, when the first
 * and the last were (undefined: none has a time). */
export function incidentSums(findings: FindingList, indices: readonly number[]): {
  durations: number[]; connections: number; longest: number; severity: Severity; lowerBounds: number; firstAt: number | undefined; lastAt: number | undefined;
} {
  const measured = new Float64Array(indices.length);
  let n = 0;
  const ids = new Set<number>();
  let longest = indices[0];
  let longestS = findings.durationOf(longest) ?? 0;
  let severity: Severity = 'info';
  let lowerBounds = 0;
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  for (const i of indices) {
    const d = findings.durationOf(i);
    if (d !== undefined) measured[n++] = d;
    if ((d ?? 0) > longestS) {
      longest = i;
      longestS = d ?? 0;
    }
    const id = findings.connectionOf(i);
    if (id !== undefined) ids.add(id);
    else for (const each of findings.connectionsOf(i)) ids.add(each);
    const s = findings.severityOf(i);
    if (SEVERITY_RANK[s] > SEVERITY_RANK[severity]) severity = s;
    if (findings.isLowerBound(i)) lowerBounds++;
    // As d3's min and max: times that are NaN count for nothing.
    const at = findings.atOf(i);
    if (at === at) {
      if (firstAt === undefined || at < firstAt) firstAt = at;
      if (lastAt === undefined || at > lastAt) lastAt = at;
    }
  }
  // Sorted as numbers without a comparator, and read as sorted: an incident has up to hundreds of
  // thousands (the sort with a comparator and d3's quantile, which selects again, took 0.2 s of bench
  // (b)). The same numbers, but that a -0 sorts before a 0 where d3's min kept the first of the two:
  // reports show both as 0.
  return { durations: Array.from(measured.subarray(0, n).sort()), connections: ids.size, longest, severity, lowerBounds, firstAt, lastAt };
}

function groupIncidents(findings: FindingList, detectors: readonly Detector[]): Incident[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < findings.length; i++) {
    const key = findings.incidentOf(i);
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  }
  const order = (kind: FindingKind): number => detectors.findIndex((d) => d.kind === kind);
  const incidents: Incident[] = [];
  // From the findings' columns: a long capture's incident can have hundreds of thousands of findings, too
  // many to read back whole at once (reading them all made the report phase's peak memory, measured).
  for (const indices of groups.values()) {
    const first = findings.at(indices[0]);
    const { durations, connections, longest, severity, lowerBounds, firstAt, lastAt } = incidentSums(findings, indices);
    const duration = durations.length === 0 ? null : {
      min: durations[0],
      median: quantileSorted(durations, 0.5) ?? 0,
      p95: quantileSorted(durations, 0.95) ?? 0,
      max: durations[durations.length - 1],
    };
    const detector = detectors[order(first.kind)];
    incidents.push({
      kind: first.kind,
      severity,
      listener: first.listener ?? null,
      findings: indices.length,
      connections,
      first_at: firstAt ?? first.at,
      last_at: lastAt ?? first.at,
      duration,
      lower_bounds: lowerBounds,
      summary: detector.headline({
        listener: first.listener ?? null,
        count: indices.length,
        finding: (k) => findings.at(indices[k]),
        measures: findings.measuresReader(indices),
        lowerBounds,
        connections,
        durationRange: durationRange(duration),
      }),
      finding_indices: indices,
      representative: findings.connectionsOf(longest)[0] ?? null,
    });
  }
  return incidents.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]
    || order(a.kind) - order(b.kind) || b.connections - a.connections);
}
