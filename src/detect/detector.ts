import type { ConnectionCore } from '../tcp/connection-view';
import type { ConnEventType } from '../tcp/events';
import type { ConnectionFacts, FactsById } from './connection-facts';
import type { Finding, FindingKind, MeasureValue } from './finding';
import type { Thresholds } from './thresholds';

/** The end of the capture, as a measurement takes it: read only when a state was still open then (see
 * RetirementFindings: at retirement, reading it leaves the detector's answer to the end). */
export interface CaptureEnd {
  readonly captureEnd: number;
}

/** Port scans' connection attempts by "client-host server-host", for clients that probed many ports of a
 * host (see port-scan). */
export type ScanGroups = ReadonlyMap<string, readonly ConnectionFacts[]>;

export interface DetectContext extends CaptureEnd {
  thresholds: Thresholds;
  /** Capture time span: a state still open at captureEnd lasted at least until then. */
  captureStart: number;
  connection(id: number): ConnectionCore | undefined;
  /** Connection `id` is one probe of a port scan (see port-scan): judged there, not one by one. */
  isScan(id: number): boolean;
  /** The port scans' probes, grouped by scanner and target (see port-scan). */
  readonly scans: ScanGroups;
}

/** What an incident (all findings of one kind on one listener) says in one line. */
export interface IncidentFacts {
  listener: string | null;
  /** How many findings it has. */
  count: number;
  /** Its finding `i` (0 to count - 1), read back whole: a long capture's incident can have hundreds of
   * thousands, so ask for the few needed. */
  finding(i: number): Finding;
  /** One measure of every finding, in order (undefined where a finding lacks it). */
  measures(name: string): (MeasureValue | undefined)[];
  /** How many of its durations are lower bounds (the capture ended first). */
  lowerBounds: number;
  /** Distinct connections concerned. */
  connections: number;
  /** "2.1–91.0 s", or "91.0 s" when all are equal; "" without durations. */
  durationRange: string;
}

interface DetectorInfo {
  kind: FindingKind;
  /** One line for lists and help. */
  title: string;
  /** The incident headline, in plain words with counts. */
  headline(facts: IncidentFacts): string;
  /** The long text `tcpteardown explain KIND` prints: what the wire shows, what it means, what to check. */
  explanation: string;
}

/** Looks at one connection at a time. */
export interface ConnectionDetector extends DetectorInfo {
  scope: 'connection';
  /** Event types the connection must have for the detector to have anything to say (a quick filter). */
  needs: readonly ConnEventType[];
  detect(conn: ConnectionCore, ctx: DetectContext): Finding[];
}

/** One listener's connections in id order, each read when asked for: a listener of a long capture has
 * millions, and their facts are not made all at once. */
export interface ListenerConnections {
  readonly length: number;
  /** The facts of the i-th connection (0 ≤ i < length), as a new object. */
  at(i: number): ConnectionFacts;
}

/** Looks at all connections of one listening endpoint (the server side, "ip:port") together. */
export interface ListenerDetector extends DetectorInfo {
  scope: 'listener';
  detect(listener: string, conns: ListenerConnections, ctx: DetectContext): Finding[];
}

/** Looks at the whole capture at once. */
export interface CaptureDetector extends DetectorInfo {
  scope: 'capture';
  detect(conns: FactsById, ctx: DetectContext): Finding[];
}

export type Detector = ConnectionDetector | ListenerDetector | CaptureDetector;
