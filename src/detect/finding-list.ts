/** Findings as the report holds them. A long capture makes hundreds of thousands of findings as its
 * connections retire (some 800 bytes each as objects: 250 MB on (c)'s 2.1 million connections); those go
 * to a text store (the spool's temporary file) as the JSON the report writes, and only what the report
 * groups, counts and sums up by (kind, severity, listener, connection, time, duration) stays in memory.
 * A finding is read back whole when it is asked for; its measures, which an incident's headline sums up
 * over every finding, are a text of their own. */
import { Float64Pages, Uint32Pages, Uint8Pages } from '../flow/id-pages';
import { FINDING_KINDS, type Finding, type FindingKind, type MeasureValue, type Severity } from './finding';
import { StringTable } from './string-table';

/** Where findings' JSON goes. */
export interface TextStore {
  /** Keeps `text` (or its UTF-8 bytes); returns its handle. Texts of one `group` are read back together. */
  put(text: string | Uint8Array, group: number): number;
  get(handle: number): string;
}

/** What FindingStore keeps of a finding in memory: what the report groups, counts and sums up by. */
export interface FindingHead {
  kind: FindingKind;
  severity: Severity;
  /** Its duration is a lower bound. */
  lowerBound: boolean;
  at: number;
  /** NaN: none. */
  duration: number;
  listener: string | undefined;
  /** NaN: a finding about several connections (or none). */
  connection: number;
}

export function findingHead(f: Finding): FindingHead {
  return {
    kind: f.kind, severity: f.severity, lowerBound: f.duration_is_lower_bound === true, at: f.at,
    duration: f.duration_s ?? NaN, listener: f.listener, connection: f.connection ?? NaN,
  };
}

/** The JSON of `f`'s measures, put away as a text of their own (see FindingStore); none without them. */
export function measuresText(f: Finding): string | undefined {
  return f.measures === undefined ? undefined : JSON.stringify(f.measures);
}

/** A finding's measures (see Finding). */
export type Measures = Readonly<Record<string, MeasureValue>>;

/** Measures' texts parsed already, and what they parsed to, shared by every finding with that text: an
 * incident's headline sums up the measures of all its findings (454,407 on bench (b)), most of them
 * alike, once per measure it names. Read what they hold; never change it. */
export type MeasuresParsed = Map<string, Measures>;
/** The most texts a MeasuresParsed keeps: findings whose measures are all different (times, say) would
 * otherwise keep every one. */
const MEASURES_PARSED_MAX = 1024;

/** Severities by their codes in the columns. */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
// A finding's codes in FindingStore.codes; LOWER_BOUND is 1 when its duration is one.
const KIND = 0;
const SEVERITY = 1;
const LOWER_BOUND = 2;
const CODES = 3;
// Its numbers in FindingStore.numbers; NaN: no duration.
const AT = 0;
const DURATION = 1;
const NUMBERS = 2;
const NO_LISTENER = 0xffffffff;
/** Entries in a page of columns: few captures have many findings. */
const PAGE_BITS = 12;

/** Every finding made for one report, by entry number (in the order they were made). */
export class FindingStore {
  private count = 0;
  private readonly codes = new Uint8Pages(CODES, PAGE_BITS);
  private readonly numbers = new Float64Pages(NUMBERS, PAGE_BITS);
  private readonly listenerRefs = new Uint32Pages(1, PAGE_BITS);
  /** NaN: a finding about several connections (or none). */
  private readonly connections = new Float64Pages(1, PAGE_BITS);
  /** The text store's handles of the finding and of its measures; NaN: kept as an object, or no measures. */
  private readonly handles = new Float64Pages(1, PAGE_BITS);
  private readonly measureHandles = new Float64Pages(1, PAGE_BITS);
  private readonly objects = new Map<number, Finding>();
  private readonly listeners = new StringTable();

  /** `texts`: where findings put away go (none: every finding is kept as an object). */
  constructor(private readonly texts: TextStore | null = null) {}

  /** How many findings it keeps: the next entry. */
  get length(): number {
    return this.count;
  }

  /** Keeps `f`, as its JSON in the text store when `putAway` and there is one; returns its entry. */
  add(f: Finding, putAway: boolean): number {
    if (putAway && this.texts !== null) {
      return this.addText(findingHead(f), JSON.stringify(f), measuresText(f));
    }
    const e = this.addHead(findingHead(f));
    this.handles.set(e, 0, NaN);
    this.measureHandles.set(e, 0, NaN);
    this.objects.set(e, f);
    return e;
  }

  /** Keeps a finding put away as its JSON and its measures' JSON (none: it has no measures), made already
   * (on the replay thread, see found-bytes.ts); returns its entry. */
  addText(head: FindingHead, json: string | Uint8Array, measures: string | Uint8Array | undefined): number {
    if (this.texts === null) throw new Error('a finding put away as text needs a text store');
    const e = this.addHead(head);
    // Grouped by incident (kind and listener): a report reads an incident's findings together, and an
    // incident's headline its measures (a group of their own, numbered below zero). Reading every finding
    // whole for them took 2.0 of the 4.6 s of bench (b)'s report in V8's profile (454,407 idle-timeout
    // findings).
    const group = this.incident(e);
    this.handles.set(e, 0, this.texts.put(json, group));
    this.measureHandles.set(e, 0, measures === undefined ? NaN : this.texts.put(measures, -1 - group));
    return e;
  }

  private addHead(head: FindingHead): number {
    const e = this.count++;
    this.codes.ensure(e);
    this.numbers.ensure(e);
    this.listenerRefs.ensure(e);
    this.connections.ensure(e);
    this.handles.ensure(e);
    this.measureHandles.ensure(e);
    this.codes.set(e, KIND, FINDING_KINDS.indexOf(head.kind));
    this.codes.set(e, SEVERITY, SEVERITIES.indexOf(head.severity));
    this.codes.set(e, LOWER_BOUND, head.lowerBound ? 1 : 0);
    this.numbers.set(e, AT, head.at);
    this.numbers.set(e, DURATION, head.duration);
    this.listenerRefs.set(e, 0, head.listener === undefined ? NO_LISTENER : this.listeners.numberOf(head.listener));
    this.connections.set(e, 0, head.connection);
    return e;
  }

  finding(e: number): Finding {
    return this.objects.get(e) ?? (JSON.parse(this.text(e)) as Finding);
  }

  /** The finding's measures, read without the rest of it; `parsed` keeps the texts parsed already (see
   * MeasuresParsed). */
  measures(e: number, parsed?: MeasuresParsed): Measures | undefined {
    const f = this.objects.get(e);
    if (f !== undefined) return f.measures;
    const handle = this.measureHandles.get(e);
    if (handle !== handle || this.texts === null) return undefined;
    const text = this.texts.get(handle);
    const known = parsed?.get(text);
    if (known !== undefined) return known;
    const measures = JSON.parse(text) as Measures;
    if (parsed !== undefined && parsed.size < MEASURES_PARSED_MAX) parsed.set(text, measures);
    return measures;
  }

  /** The finding's JSON, as reports write it. */
  json(e: number): string {
    const f = this.objects.get(e);
    return f === undefined ? this.text(e) : JSON.stringify(f);
  }

  kind(e: number): FindingKind {
    return FINDING_KINDS[this.codes.get(e, KIND)];
  }

  /** A number for the finding's kind and listener: the same for every finding of its incident, and
   * another for every other incident. */
  incident(e: number): number {
    return this.listenerRefs.get(e) * FINDING_KINDS.length + this.codes.get(e, KIND);
  }

  severity(e: number): Severity {
    return SEVERITIES[this.codes.get(e, SEVERITY)];
  }

  at(e: number): number {
    return this.numbers.get(e, AT);
  }

  duration(e: number): number | undefined {
    const d = this.numbers.get(e, DURATION);
    return d === d ? d : undefined;
  }

  isLowerBound(e: number): boolean {
    return this.codes.get(e, LOWER_BOUND) === 1;
  }

  listener(e: number): string | undefined {
    const ref = this.listenerRefs.get(e);
    return ref === NO_LISTENER ? undefined : this.listeners.at(ref);
  }

  /** The one connection the finding is about, if it is about one. */
  connection(e: number): number | undefined {
    const id = this.connections.get(e);
    return id === id ? id : undefined;
  }

  private text(e: number): string {
    if (this.texts === null) throw new Error(`finding entry ${e} has no text`);
    return this.texts.get(this.handles.get(e));
  }
}

/** A report's findings in report order: what counts and groups need is read without reading a finding
 * back; `at(i)` reads one back whole (a new object each time: read it once). */
export class FindingList implements Iterable<Finding> {
  constructor(private readonly store: FindingStore, private readonly entries: readonly number[]) {}

  /** Findings kept as objects, in this order. */
  static of(findings: readonly Finding[]): FindingList {
    const store = new FindingStore();
    return new FindingList(store, findings.map((f) => store.add(f, false)));
  }

  get length(): number {
    return this.entries.length;
  }

  at(i: number): Finding {
    return this.store.finding(this.entry(i));
  }

  json(i: number): string {
    return this.store.json(this.entry(i));
  }

  kindOf(i: number): FindingKind {
    return this.store.kind(this.entry(i));
  }

  /** The same number for findings of one kind and listener, which make an incident. */
  incidentOf(i: number): number {
    return this.store.incident(this.entry(i));
  }

  severityOf(i: number): Severity {
    return this.store.severity(this.entry(i));
  }

  listenerOf(i: number): string | undefined {
    return this.store.listener(this.entry(i));
  }

  /** When it happened. */
  atOf(i: number): number {
    return this.store.at(this.entry(i));
  }

  durationOf(i: number): number | undefined {
    return this.store.duration(this.entry(i));
  }

  isLowerBound(i: number): boolean {
    return this.store.isLowerBound(this.entry(i));
  }

  measuresOf(i: number, parsed?: MeasuresParsed): Measures | undefined {
    return this.store.measures(this.entry(i), parsed);
  }

  /** Measure `name` of each of findings `indices`, as an incident's headline asks (see MeasuresParsed).
   * The findings' measures are read from the store once for all the names it asks for (idle-timeout's
   * asked twice for each of bench (b)'s 454,407), and kept between names only when alike ones share one
   * object: findings whose measures all differ are read again rather than all held at once. */
  measuresReader(indices: readonly number[]): (name: string) => (MeasureValue | undefined)[] {
    const parsed: MeasuresParsed = new Map();
    let kept: readonly (Measures | undefined)[] | null = null;
    return (name) => {
      const all = kept ?? indices.map((i) => this.measuresOf(i, parsed));
      if (parsed.size < MEASURES_PARSED_MAX) kept = all;
      return all.map((m) => m?.[name]);
    };
  }

  /** The one connection the finding is about, if it is about one (see connectionsOf). */
  connectionOf(i: number): number | undefined {
    return this.store.connection(this.entry(i));
  }

  /** The connections the finding is about (read back whole only when about several). */
  connectionsOf(i: number): readonly number[] {
    const id = this.connectionOf(i);
    return id !== undefined ? [id] : this.at(i).connections ?? [];
  }

  /** Every finding as an object (JSON.stringify of a whole report). */
  toJSON(): Finding[] {
    return [...this];
  }

  *[Symbol.iterator](): Iterator<Finding> {
    for (let i = 0; i < this.entries.length; i++) yield this.at(i);
  }

  private entry(i: number): number {
    if (!(i >= 0 && i < this.entries.length)) throw new RangeError(`no finding #${i} (the report has ${this.entries.length})`);
    return this.entries[i];
  }
}
