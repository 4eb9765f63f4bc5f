/** Connections that are over are forgotten after a silence (FlowTable + Connection.retireAfterS), handed
 * to onRetire exactly once, and the report built from them as they retire is the report built at the end. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyzeCapture, type Analysis } from '../../src/analyze';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { DETECTORS } from '../../src/detect/registry';
import type { Finding } from '../../src/detect/finding';
import { FoundWriter, type DetectorFinding } from '../../src/detect/found-bytes';
import type { TextStore } from '../../src/detect/finding-list';
import { RetirementDetectors, RetirementFindings, runDetectors, type DetectOptions, type Detection, type Incident } from '../../src/detect/run-detectors';
import type { ConnectionJson } from '../../src/tcp/connection-view';
import { reportCapture } from '../../src/pipeline';
import { connectionArray } from '../../src/report/connection-source';
import { buildReport } from '../../src/report/build-report';
import { RETIRE_ATTEMPT_S, RETIRE_CLOSED_S, type Connection } from '../../src/tcp/connection';
import { connectionJson } from '../../src/tcp/connection-record';
import type { ConnEvent } from '../../src/tcp/events';
import { writePcap, type WriteRecord } from '../support/capture-writer';
import { mergeScripts, TcpScript } from '../support/tcp-script';

interface Retired {
  /** Ids in the order they were retired. */
  order: number[];
  byId: Connection[];
  /** Each connection's event log and side 0's packets, taken when it retired (it is released after that). */
  logs: ConnEvent[][];
  side0Packets: number[];
  analysis: Analysis;
}

async function retire(...scripts: TcpScript[]): Promise<Retired> {
  return retireRecords(mergeScripts(...scripts));
}

async function retireRecords(records: WriteRecord[]): Promise<Retired> {
  const order: number[] = [];
  const byId: Connection[] = [];
  const logs: ConnEvent[][] = [];
  const side0Packets: number[] = [];
  const analysis = await analyzeCapture(Readable.from([writePcap(records)]), {
    onRetire: (c) => {
      order.push(c.id);
      byId[c.id] = c;
      logs[c.id] = connectionJson(c).events;
      side0Packets[c.id] = c.side(0).packets;
    },
  });
  return { order, byId, logs, side0Packets, analysis };
}

const START = 1_700_000_000;
const closed = (): TcpScript => new TcpScript({ start: START }).handshake().data('client', 10).fin('client').fin('server').ack('client');
/** Another connection's packet at `t`: capture time has moved on only once two packets agree on it. */
const elsewhere = (t: number): TcpScript => new TcpScript({ client: '10.0.0.7:7000', start: START + t }).syn();

describe('retiring connections that are over', () => {
  it('a closed connection still takes a stray segment just before its silence runs out', async () => {
    const { order, side0Packets } = await retire(closed().after(RETIRE_CLOSED_S - 1).ack('client'), elsewhere(RETIRE_CLOSED_S - 1.5));
    expect(order).toEqual([0, 1]);
    expect(side0Packets[0]).toBe(6);
  });

  it('after the silence, a segment on the same 4-tuple starts a new (partial) connection', async () => {
    const { order, byId, side0Packets } = await retire(closed().after(RETIRE_CLOSED_S + 1).ack('client'), elsewhere(RETIRE_CLOSED_S + 0.5));
    expect(order).toEqual([0, 1, 2]);
    expect(side0Packets[0]).toBe(5);
    expect(byId[2]).toMatchObject({ partial: true, previousId: null });
  });

  it('one corrupt timestamp far in the future forgets nothing: time moves when two packets agree', async () => {
    const attempt = new TcpScript({ start: START }).syn().at(1).synRetransmit().at(3).synRetransmit().at(7).synRetransmit()
      .at(8).synAck().ack('client');
    const corrupt = elsewhere(2 ** 24).records;
    const { order, logs } = await retireRecords([...attempt.records.slice(0, 3), ...corrupt, ...attempt.records.slice(3)]);
    expect(order).toEqual([0, 1]);
    expect(logs[0].map((e) => e.type)).toContain('handshake-complete');
  });

  it('never forgets a half-closed connection, however long the silence: its late FIN is the finding', async () => {
    const late = new TcpScript().handshake().fin('client').ack('server').after(10 * RETIRE_ATTEMPT_S).fin('server').rst('client');
    const { order, byId, logs } = await retire(late);
    expect(order).toEqual([0]);
    expect(logs[0].map((e) => `${e.type}:${e.by}`)).toContain('fin:server');
    expect(() => connectionJson(byId[0])).toThrow(/connection 0 was released/);
    // Its slots are another connection's now: a side or a time read through it would be that one's.
    expect(() => byId[0].side(0)).toThrow(/connection 0 was released/);
    expect(() => byId[0].end).toThrow(/connection 0 was released/);
    expect(byId[0].partial).toBe(false);
  });

  it('gives up SYNs nobody answered only after every retry schedule is over', async () => {
    const attempt = (gap: number): TcpScript => new TcpScript({ start: START }).syn().at(1).synRetransmit().at(3).synRetransmit()
      .after(gap).synRetransmit();
    expect((await retire(attempt(RETIRE_ATTEMPT_S - 1), elsewhere(2 + RETIRE_ATTEMPT_S))).order).toEqual([0, 1]);
    expect((await retire(attempt(RETIRE_ATTEMPT_S + 1), elsewhere(3 + RETIRE_ATTEMPT_S))).order).toEqual([0, 1, 2]);
  });

  it('retires an incarnation the moment a new SYN replaces it, and links the two', async () => {
    const first = closed();
    const second = new TcpScript({ start: 1_700_000_001, clientIsn: 90_000 }).handshake().fin('client').fin('server').ack('client');
    const third = new TcpScript({ client: '10.0.0.9:5000', start: 1_700_000_000.5 }).handshake();
    const { order, byId } = await retire(first, second, third);
    // 0 is retired when 2 (the new incarnation) arrives, before the capture ends and the others go.
    expect(order).toEqual([0, 1, 2]);
    expect(byId[2].previousId).toBe(0);
  });

  it('hands every connection over exactly once and keeps none itself', async () => {
    const scripts = Array.from({ length: 40 }, (_, i) => (i % 3 === 0
      ? new TcpScript({ client: `10.1.0.${i}:4000`, start: 1_700_000_000 + i * 20 }).syn()
      : new TcpScript({ client: `10.1.0.${i}:4000`, start: 1_700_000_000 + i * 20 }).handshake().fin('client').fin('server').ack('client')));
    const { order, analysis } = await retire(...scripts);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(analysis.connections).toEqual([]);
    // Retired by silence as the capture went on, not all at the end: the closed ones (120 s) before the
    // unanswered attempt that started 20 s earlier (180 s), each kind in the order it fell silent.
    const closedIds = order.filter((id) => id % 3 !== 0);
    const attemptIds = order.filter((id) => id % 3 === 0);
    expect(closedIds).toEqual([...closedIds].sort((a, b) => a - b));
    expect(attemptIds).toEqual([...attemptIds].sort((a, b) => a - b));
    expect(order.indexOf(4)).toBeLessThan(order.indexOf(3));
  });
});

/** A detection with its findings read back as objects. */
function plain(d: Detection): { findings: Finding[]; incidents: Incident[] } {
  return { findings: [...d.findings], incidents: d.incidents };
}

/** A text store in memory, of the texts as strings. */
function textArray(texts: string[]): TextStore {
  return { put: (text) => texts.push(typeof text === 'string' ? text : Buffer.from(text).toString('utf8')) - 1, get: (handle) => texts[handle] };
}

/** `views` retired with their detectors run elsewhere (as on the replay thread), what they found handed
 * over as bytes. */
function handedOver(detect: DetectOptions, views: readonly ConnectionJson[], texts: TextStore): RetirementFindings {
  const detectors = new RetirementDetectors(detect);
  const writer = new FoundWriter();
  const retired = new RetirementFindings(detect, texts);
  for (const view of views) {
    const found: DetectorFinding[] = [];
    const bits = detectors.run(view, (k, f) => found.push([k, f]));
    // The length first: write may replace its buffer with a larger one.
    const length = writer.write(view.id, bits, found);
    retired.addFound(writer.bytes.subarray(0, length));
  }
  return retired;
}

describe('detectors that look at one connection, run as it retires', () => {
  it('leave to the end what only the end knows, and find what they would have found there', async () => {
    // abortive-close asks whether a reset connection is a port-scan probe (told no, at retirement);
    // half-closed, when the capture ended (left to the end).
    const reset = new TcpScript({ start: START }).handshake().data('client', 10).rst('server');
    const halfClosed = new TcpScript({ client: '10.0.0.9:1234', start: START }).handshake().fin('client').ack('server').after(30).data('client', 1);
    const closedLate = new TcpScript({ client: '10.0.0.8:1234', start: START }).handshake().fin('client').ack('server').at(20).fin('server').ack('client');
    const analysis = await analyzeCapture(Readable.from([writePcap(mergeScripts(reset, halfClosed, closedLate))]));
    const views = analysis.connections.map(connectionJson);
    const detect = { thresholds: DEFAULT_THRESHOLDS };
    const retired = new RetirementFindings(detect);
    for (const view of views) retired.add(view);
    const kinds = DETECTORS.filter((d) => d.scope === 'connection').map((d) => d.kind);
    const [abortive, half] = [kinds.indexOf('abortive-close'), kinds.indexOf('half-closed')];
    const noProbes = (): boolean => false;
    expect(retired.foundBy(abortive, noProbes).connections).toEqual([0]);
    expect(retired.pending(abortive, 0, noProbes)).toBe(false);
    // Had it been a probe, what was found then would be dropped and the detector run again at the end.
    const probe0 = (id: number): boolean => id === 0;
    expect(retired.foundBy(abortive, probe0).connections).toEqual([]);
    expect(retired.pending(abortive, 0, probe0)).toBe(true);
    // The late close was measured at once; the one still half-closed waits for the capture's end.
    expect(retired.foundBy(half, noProbes).connections).toEqual([2]);
    expect([retired.pending(half, 1, noProbes), retired.pending(half, 2, noProbes)]).toEqual([true, false]);
    const end = analysis.lastTs ?? 0;
    const atRetirement = plain(runDetectors(connectionArray(views), analysis.firstTs ?? 0, end, detect, retired));
    const atTheEnd = plain(runDetectors(connectionArray(views), analysis.firstTs ?? 0, end, detect));
    expect(atRetirement).toEqual(atTheEnd);
    expect(atTheEnd.findings.map((f) => `${f.kind} ${f.connection}`)).toEqual(expect.arrayContaining(['abortive-close 0', 'half-closed 1', 'half-closed 2']));
    // Put away as JSON (as the spool does) and read back: the same findings, the same JSON.
    const texts: string[] = [];
    const putAway = new RetirementFindings(detect, textArray(texts));
    for (const view of views) putAway.add(view);
    const readBack = runDetectors(connectionArray(views), analysis.firstTs ?? 0, end, detect, putAway);
    expect(texts.length).toBeGreaterThan(0);
    expect(plain(readBack)).toEqual(atTheEnd);
    const jsonOf = (d: Detection): string[] => [...Array(d.findings.length).keys()].map((i) => d.findings.json(i));
    expect(jsonOf(readBack)).toEqual(atTheEnd.findings.map((f) => JSON.stringify(f)));
    // Found on another thread and handed over as bytes: the same texts, put the same way, the same findings.
    const handedTexts: string[] = [];
    const fromThere = runDetectors(connectionArray(views), analysis.firstTs ?? 0, end, detect, handedOver(detect, views, textArray(handedTexts)));
    expect(handedTexts).toEqual(texts);
    expect(plain(fromThere)).toEqual(atTheEnd);
    expect(jsonOf(fromThere)).toEqual(jsonOf(readBack));
    // Made with every detector, read with a few (or the other way round): each detector is matched by itself.
    const only = { thresholds: DEFAULT_THRESHOLDS, only: ['half-closed', 'abortive-close'] as const };
    const source = connectionArray(views);
    expect(plain(runDetectors(source, analysis.firstTs ?? 0, end, only, retired))).toEqual(plain(runDetectors(source, analysis.firstTs ?? 0, end, only)));
    const few = new RetirementFindings(only);
    for (const view of views) few.add(view);
    expect(plain(runDetectors(source, analysis.firstTs ?? 0, end, detect, few))).toEqual(atTheEnd);
  });

  it('drop what they found on a connection they were told is no probe when it turns out to be one', async () => {
    // 25 ports of one host refused (RST answering the SYN) are a port scan, reported once; the probes'
    // resets are no abortive closes. The closed connection's reset, from another client, is one.
    const probes = Array.from({ length: 25 }, (_, i) => new TcpScript({ client: `10.9.0.1:${40_000 + i}`, server: `10.0.0.2:${1000 + i}`, start: START + i / 10 })
      .syn().rst('server'));
    const reset = new TcpScript({ client: '10.9.0.2:5000', server: '10.0.0.2:80', start: START }).handshake().data('client', 10).rst('server');
    const analysis = await analyzeCapture(Readable.from([writePcap(mergeScripts(reset, ...probes))]));
    const views = analysis.connections.map(connectionJson);
    const detect = { thresholds: DEFAULT_THRESHOLDS };
    const retired = new RetirementFindings(detect);
    for (const view of views) retired.add(view);
    const abortive = DETECTORS.filter((d) => d.scope === 'connection').findIndex((d) => d.kind === 'abortive-close');
    // At retirement every reset was taken for an abortive close.
    expect(retired.foundBy(abortive, () => false).connections).toHaveLength(26);
    const source = connectionArray(views);
    const atRetirement = plain(runDetectors(source, analysis.firstTs ?? 0, analysis.lastTs ?? 0, detect, retired));
    const atTheEnd = plain(runDetectors(source, analysis.firstTs ?? 0, analysis.lastTs ?? 0, detect));
    expect(atRetirement).toEqual(atTheEnd);
    expect(atTheEnd.findings.map((f) => f.kind).sort()).toEqual(['abortive-close', 'port-scan']);
    // Found on another thread: the bits saying who was told no probe come over with the findings.
    const fromThere = handedOver(detect, views, textArray([]));
    expect(fromThere.foundBy(abortive, () => false).connections).toHaveLength(26);
    expect(plain(runDetectors(source, analysis.firstTs ?? 0, analysis.lastTs ?? 0, detect, fromThere))).toEqual(atTheEnd);
  });
});

const CAPTURES = join(__dirname, '..', '..', 'captures');
const LAB_THRESHOLDS = { ...DEFAULT_THRESHOLDS, halfCloseS: 1, lateFinS: 1, acceptDelayS: 1 };
const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'captures');
const corpus = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /^(zeek|suricata|ppa)__/.test(f)).map((f) => join(CORPUS, f)) : [];
const captures = [...readdirSync(CAPTURES).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(CAPTURES, f)), ...corpus];

describe('the report built as connections retire', () => {
  // The lab's captures are time-scaled: at 1 s thresholds they hold most kinds of finding.
  it.each(captures)('equals the report built from all connections at the end: %s', async (file) => {
    const detect = { thresholds: file.startsWith(CAPTURES) ? LAB_THRESHOLDS : DEFAULT_THRESHOLDS };
    // JSON.stringify makes each report's document whole, its connections included (ConnectionSource.toJSON).
    const streamed = await reportCapture(file, { file, sizeBytes: 1, detect });
    const whole = buildReport(await analyzeCapture(file), { file, sizeBytes: 1 }, detect);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole));
  });
});
