import { readCapture } from './capture/read-capture';
import type { CaptureInfo, CaptureIssue, CaptureRecord } from './capture/record';
import { decodeRecord } from './decode/decode-packet';
import { newTcpPacket, type SkipReason } from './decode/tcp-packet';

/** Why a packet was not attributed to a connection: the decoder's reasons, or the connection budget. */
export type AnalysisSkipReason = SkipReason | 'connection-budget';

/** Default --max-connections: at worst all of them open at once, about 0.9 GB (bench case (b)). */
export const DEFAULT_MAX_CONNECTIONS = 500_000;
import { FlowTable } from './flow/flow-table';
import { Connection, ReplayLog } from './tcp/connection';

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

/** The pipeline: capture → decode → flow → tcp. Streams; holds only the connections. */
export async function analyzeCapture(input: string | NodeJS.ReadableStream, options: AnalyzeOptions = {}): Promise<Analysis> {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const log = new ReplayLog();
  const onRetire = options.onRetire;
  const table = new FlowTable(
    (id, a0, p0, a1, p1, at, frame, previous, flags) => new Connection(id, a0, p0, a1, p1, at, frame, previous, flags, log),
    maxConnections, (conn) => conn.retireAfterS(),
    onRetire ? (conn) => { onRetire(conn); conn.release(); } : null,
  );
  const pkt = newTcpPacket();
  const skipped: Partial<Record<AnalysisSkipReason, number>> = {};
  const unknownLinkTypes: Record<number, number> = {};
  const issues: CaptureIssue[] = [];
  let packets = 0;
  let tcpPackets = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  let firstRecordTs: number | null = null;

  const record = (rec: CaptureRecord): void => {
    packets++;
    const ts = rec.ts;
    if (firstRecordTs === null) firstRecordTs = ts;
    if (firstTs === null || ts < firstTs) firstTs = ts;
    if (lastTs === null || ts > lastTs) lastTs = ts;
    const reason = decodeRecord(rec.linkType, rec.bytes, rec.start, rec.caplen, rec.origLen, pkt);
    if (reason !== null) {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      if (reason === 'unknown-link-type') unknownLinkTypes[rec.linkType] = (unknownLinkTypes[rec.linkType] ?? 0) + 1;
      return;
    }
    const conn = table.lookup(pkt, ts, rec.frame);
    if (conn === null) {
      skipped['connection-budget'] = (skipped['connection-budget'] ?? 0) + 1;
      return;
    }
    tcpPackets++;
    conn.update(pkt, table.from, ts, rec.frame, rec.origLen);
    table.settle(ts);
  };

  const result = await readCapture(input, {
    record,
    issue: (issue) => { issues.push(issue); },
    progress: options.onProgress ? (bytes) => options.onProgress?.(bytes, packets) : undefined,
  });
  table.retireAll();
  return {
    info: result.info, packets, tcpPackets, skipped, unknownLinkTypes, issues,
    damaged: result.damaged, bytes: result.bytes, firstTs, lastTs, firstRecordTs, connections: table.connections,
    maxConnections, firstOverBudgetFrame: table.firstOverBudgetFrame,
  };
}
