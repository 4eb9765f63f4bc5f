import { readCapture } from './capture/read-capture';
import type { CaptureInfo, CaptureIssue, CaptureRecord, CaptureResult, CaptureSink } from './capture/record';
import { decodeRecord } from './decode/decode-packet';
import { newTcpPacket, type SkipReason, type TcpPacket } from './decode/tcp-packet';
import { FlowTable } from './flow/flow-table';
import { Connection, ReplayLog, RETIRE_CLOSED_S } from './tcp/connection';

/** Why a packet was not attributed to a connection: the decoder's reasons, or the connection budget. */
export type AnalysisSkipReason = SkipReason | 'connection-budget';

/** Default --max-connections: at worst all of them open at once, about 0.9 GB (bench case (b)). */
export const DEFAULT_MAX_CONNECTIONS = 500_000;

/** Everything the report stages need from one capture. */
export interface Analysis {
  info: CaptureInfo;
  /** Packet records read. Each is either attributed to a connection (tcpPackets) or in `skipped`. */
  packets: number;
  tcpPackets: number;
  skipped: Partial<Record<AnalysisSkipReason, number>>;
  /** Packets of link types we do not decode, by LINKTYPE number. */
  unknownLinkTypes: Record<number, number>;
  /** Damage found by the reader: what was not read, where and why. */
  issues: CaptureIssue[];
  damaged: boolean;
  bytes: number;
  /** Earliest and latest capture time (records may be out of order). */
  firstTs: number | null;
  lastTs: number | null;
  /** Time of the first record: what Wireshark's relative times count from. */
  firstRecordTs: number | null;
  /** Every connection in id order, unless `onRetire` took them (then none is left here). */
  connections: Connection[];
  /** The connection budget, and the first frame that found it full (0: never). */
  maxConnections: number;
  firstOverBudgetFrame: number;
}

export interface AnalyzeOptions {
  /** Connections tracked at most; packets of further new connections are counted as 'connection-budget'. */
  maxConnections?: number;
  /** Takes each connection once it is over (see FlowTable): the caller keeps what it needs (its view),
   * then the connection is released, its event log gone. Without it, `connections` holds every
   * connection, logs included. */
  onRetire?: (conn: Connection) => void;
  /** Called with raw input bytes consumed so far. */
  onProgress?: (bytesRead: number, packets: number) => void;
}

/** Takes each TCP segment decoded, with its capture time, frame number and length on the wire. */
export type SegmentSink = (pkt: TcpPacket, at: number, frame: number, wireLen: number) => void;

/** The capture and decode stages' part of an Analysis: records counted, decoded, and the TCP segments
 * handed on; what could not be decoded counted by reason. */
export class DecodedCapture {
  packets = 0;
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  /** The frame of each reason's first packet: the report lists reasons in the order they came up, the
   * connection budget's (counted by the flow stage) among them. */
  private readonly firstFrames: Partial<Record<SkipReason, number>> = {};
  readonly unknownLinkTypes: Record<number, number> = {};
  readonly issues: CaptureIssue[] = [];
  firstTs: number | null = null;
  lastTs: number | null = null;
  firstRecordTs: number | null = null;
  private readonly pkt = newTcpPacket();

  /** What readCapture feeds: each TCP segment goes on to `segment`. */
  sink(segment: SegmentSink, onProgress?: (bytesRead: number, packets: number) => void): CaptureSink {
    return {
      record: (rec) => this.record(rec, segment),
      issue: (issue) => { this.issues.push(issue); },
      progress: onProgress ? (bytes) => onProgress(bytes, this.packets) : undefined,
    };
  }

  private record(rec: CaptureRecord, segment: SegmentSink): void {
    this.packets++;
    const ts = rec.ts;
    if (this.firstRecordTs === null) this.firstRecordTs = ts;
    if (this.firstTs === null || ts < this.firstTs) this.firstTs = ts;
    if (this.lastTs === null || ts > this.lastTs) this.lastTs = ts;
    const reason = decodeRecord(rec.linkType, rec.bytes, rec.start, rec.caplen, rec.origLen, this.pkt);
    if (reason === null) {
      segment(this.pkt, ts, rec.frame, rec.origLen);
      return;
    }
    const seen = this.skipped[reason];
    if (seen === undefined) this.firstFrames[reason] = rec.frame;
    this.skipped[reason] = (seen ?? 0) + 1;
    if (reason === 'unknown-link-type') this.unknownLinkTypes[rec.linkType] = (this.unknownLinkTypes[rec.linkType] ?? 0) + 1;
  }

  /** The Analysis of this capture, with the flow stage's result. */
  analysis(read: CaptureResult, flows: ReplayedFlows): Analysis {
    return {
      info: read.info, packets: this.packets, tcpPackets: flows.tcpPackets, skipped: this.skippedWith(flows),
      unknownLinkTypes: this.unknownLinkTypes, issues: this.issues, damaged: read.damaged, bytes: read.bytes,
      firstTs: this.firstTs, lastTs: this.lastTs, firstRecordTs: this.firstRecordTs, connections: flows.connections,
      maxConnections: flows.maxConnections, firstOverBudgetFrame: flows.firstOverBudgetFrame,
    };
  }

  private skippedWith(flows: ReplayedFlows): Partial<Record<AnalysisSkipReason, number>> {
    if (flows.overBudgetPackets === 0) return this.skipped;
    const skipped: Partial<Record<AnalysisSkipReason, number>> = {};
    let placed = false;
    for (const [reason, count] of Object.entries(this.skipped) as [SkipReason, number][]) {
      if (!placed && (this.firstFrames[reason] ?? 0) > flows.firstOverBudgetFrame) {
        skipped['connection-budget'] = flows.overBudgetPackets;
        placed = true;
      }
      skipped[reason] = count;
    }
    if (!placed) skipped['connection-budget'] = flows.overBudgetPackets;
    return skipped;
  }
}

/** The flow stage's part of an Analysis. */
export interface ReplayedFlows {
  tcpPackets: number;
  /** Segments that would have started a connection beyond the budget, and the first of their frames. */
  overBudgetPackets: number;
  firstOverBudgetFrame: number;
  maxConnections: number;
  connections: Connection[];
}

/** The flow and TCP stages: each segment to its connection, replayed; connections retired as they end. */
export class SegmentReplay {
  private readonly table: FlowTable<Connection>;
  private tcpPackets = 0;

  /** `onClosed`: told after each packet of a connection that is over (each side closed or reset), which
   * retires once silent RETIRE_CLOSED_S. */
  constructor(private readonly maxConnections: number, onRetire?: (conn: Connection) => void, onClosed?: (conn: Connection) => void) {
    const log = new ReplayLog();
    this.table = new FlowTable(
      (id, a0, p0, a1, p1, at, frame, previous, flags) => new Connection(id, a0, p0, a1, p1, at, frame, previous, flags, log),
      maxConnections, onClosed ? (conn) => {
        const after = conn.retireAfterS();
        if (after === RETIRE_CLOSED_S) onClosed(conn);
        return after;
      } : (conn) => conn.retireAfterS(),
      onRetire ? (conn) => { onRetire(conn); conn.release(); } : null,
    );
  }

  readonly segment: SegmentSink = (pkt, at, frame, wireLen) => {
    const table = this.table;
    const conn = table.lookup(pkt, at, frame);
    if (conn === null) return;
    this.tcpPackets++;
    conn.update(pkt, table.from, at, frame, wireLen);
    table.settle(at);
  };

  /** The capture ended: retires every connection still held. */
  finish(): ReplayedFlows {
    const table = this.table;
    table.retireAll();
    return {
      tcpPackets: this.tcpPackets, overBudgetPackets: table.overBudgetPackets, firstOverBudgetFrame: table.firstOverBudgetFrame,
      maxConnections: this.maxConnections, connections: table.connections,
    };
  }
}

/** The pipeline: capture → decode → flow → tcp. Streams; holds only the connections. */
export async function analyzeCapture(input: string | NodeJS.ReadableStream, options: AnalyzeOptions = {}): Promise<Analysis> {
  const decoded = new DecodedCapture();
  const replay = new SegmentReplay(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, options.onRetire);
  const read = await readCapture(input, decoded.sink(replay.segment, options.onProgress));
  return decoded.analysis(read, replay.finish());
}
