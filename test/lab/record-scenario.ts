import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { nowS, sleep } from './exec';
import { ADDRESSES, MLD_QUIET_MS, WIRE_IFACES, type Host } from './links';
import { createLab, destroyLab } from './netns';
import { readCounters } from './nstat';
import { python, startPeer, type Peer } from './peers';
import { startRecorder, type Recorder, type RecorderResult, type RecorderSpec } from './recorder';
import type { Scenario, Stage } from './scenario';
import { SsPoller } from './ss-poller';
import { timingSysctls } from './sysctl';
import { buildConnections, buildListeners } from './truth-build';
import { TRUTH_SCHEMA, type Truth, type TruthCapture } from './truth-model';

export interface RecordOptions {
  outDir: string;
  /** ss snapshots; 250 ms resolves the scenarios' half-second steps. */
  pollIntervalMs?: number;
}

const READY_TIMEOUT_MS = 15_000;
const PLAY_TIMEOUT_MS = 60_000;
/** After the traffic: long enough for the last packets to reach the file and for two more snapshots. */
const SETTLE_MS = 600;

/** Records one scenario into outDir: its capture files and `<name>.truth.json`. Everything it created
 * is gone when it returns or throws. */
export async function recordScenario(scenario: Scenario, options: RecordOptions): Promise<Truth> {
  const intervalMs = options.pollIntervalMs ?? 250;
  const lab = createLab(scenario.lab);
  const peers: Peer[] = [];
  const recorders: Recorder[] = [];
  let poller: SsPoller | undefined;
  const startIn = async (ns: string, name: string, argv: string[]): Promise<Peer> => {
    const peer = startPeer(ns, name, argv);
    peers.push(peer);
    await withTimeout(peer.ready, READY_TIMEOUT_MS, `${name} to be ready`);
    return peer;
  };
  const stage: Stage = {
    serve: (host, name, argv) => startIn(lab.ns[host], name, argv),
    runToEnd: (host, name, argv) => {
      const peer = startPeer(lab.ns[host], name, argv);
      peers.push(peer);
      return peer.exited;
    },
  };
  try {
    const defaults = timingSysctls(lab.wireNs ?? lab.ns.client);
    if (scenario.lab.ipv6) await sleep(MLD_QUIET_MS);
    if (lab.wireNs !== null) await startIn(lab.wireNs, 'wire', wireCommand(scenario));
    const specs = scenario.recorders ?? [{ file: `${scenario.name}.pcap`, tool: 'tcpdump' }];
    for (const spec of specs) recorders.push(await startRecorder(lab, spec, options.outDir));
    const captureStart = nowS();
    poller = new SsPoller(lab.ns, intervalMs);
    await poller.start();
    const trafficStart = nowS();
    await withTimeout(scenario.play(stage), PLAY_TIMEOUT_MS, `scenario ${scenario.name} to end`);
    const trafficEnd = nowS();
    await sleep(SETTLE_MS);
    const counters = { server: await readCounters(lab.ns.server), client: await readCounters(lab.ns.client) };
    const samples = await poller.stop();
    const results: RecorderResult[] = [];
    for (; recorders.length > 0; recorders.shift()) results.push(await recorders[0].stop());
    const captureEnd = nowS();
    for (const spec of specs) if (spec.gzip) gzipCopy(join(options.outDir, spec.file));
    const truth: Truth = {
      schema: TRUTH_SCHEMA,
      scenario: scenario.name,
      summary: scenario.summary,
      params: scenario.params,
      lab: {
        ipv6: scenario.lab.ipv6,
        wire: scenario.lab.wire ?? null,
        sysctls: { server: scenario.lab.sysctls.server ?? {}, client: scenario.lab.sysctls.client ?? {} },
        kernel: { release: release(), defaults },
        addresses: ADDRESSES,
      },
      poll: {
        interval_s: intervalMs / 1000,
        max_spread_s: round6(Math.max(...[...samples.server, ...samples.client].map((s) => s.spread))),
        times: { server: samples.server.map((s) => round6(s.at)), client: samples.client.map((s) => round6(s.at)) },
      },
      timing: {
        capture_start: captureStart, traffic_start: trafficStart, traffic_end: trafficEnd, capture_end: captureEnd,
        duration_s: round6(captureEnd - captureStart),
      },
      captures: captures(specs, results),
      counters,
      listeners: buildListeners(samples.server),
      connections: buildConnections(samples, intervalMs / 1000),
    };
    writeFileSync(join(options.outDir, `${scenario.name}.truth.json`), `${JSON.stringify(truth, null, 2)}\n`);
    return truth;
  } finally {
    await poller?.cancel();
    for (const p of peers) p.stop();
    await Promise.all(recorders.map((r) => r.stop().catch(() => undefined)));
    destroyLab(lab);
  }
}

function wireCommand(scenario: Scenario): string[] {
  const wire = scenario.lab.wire;
  const args: (string | number)[] = ['--delay-ms', wire?.delayMs ?? 0];
  if (wire?.vlanId !== undefined) {
    args.push('--vlan', wire.vlanId, WIRE_IFACES.client, WIRE_IFACES.server, WIRE_IFACES.trunkA, WIRE_IFACES.trunkB);
  } else {
    args.push(WIRE_IFACES.client, WIRE_IFACES.server);
  }
  return python('wire-relay.py', args);
}

function captures(specs: RecorderSpec[], results: RecorderResult[]): TruthCapture[] {
  const list: TruthCapture[] = [];
  specs.forEach((spec, i) => {
    const where: Host | 'wire' = spec.at === 'trunk' ? 'wire' : 'server';
    list.push({ file: spec.file, command: results[i].command, where, packets: results[i].packets });
    if (spec.gzip) {
      list.push({ file: `${spec.file}.gz`, command: `gzip -9n ${spec.file} (Node's zlib)`, where, packets: results[i].packets });
    }
  });
  return list;
}

/** Node's gzip writes no name and no time in its header: the same capture gives the same bytes. */
function gzipCopy(path: string): void {
  writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
