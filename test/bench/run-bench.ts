/** npm run bench [-- --quick] [--only=a,a-screen,b,c,d-pcapng,d-gzip,e,lab,scan,scan-large] [--rounds=N] [--cpu-prof] [--stages] [--instructions]
 * Generates the benchmark captures (deterministic, cached under bench-out/), then for each: the time to
 * merely read the file (the floor), `tcpteardown analyze --json` with all detectors, and `tshark -q -z
 * conv,tcp` when tshark is installed, side by side: wall time, packets/s, MB/s, CPU time (user + system,
 * every thread) and packets per CPU second, peak RSS. The two run alternately (which goes first
 * alternates too), a few rounds (the case's, or an odd --rounds), and the median run of each is compared:
 * on a shared machine one run of the same build varies by a tenth or more. Prints a table and writes
 * bench-out/results.json. --stages adds where our time goes (test/bench/stages.js, one thread: read,
 * decode, flow lookup, TCP replay, records, views, connection detectors with facts and the temporary
 * file, JSON lines, the other detectors and the report, JSON text) as a second table. The scan
 * cases run `tcpteardown scan` with 1 and with 2 jobs, alternately, over 8 captures like (a)/10 ('scan')
 * and over 4 like (a)/2.5 ('scan-large'), and give the throughput of each and their ratio.
 *
 * --instructions counts, instead of timing: each tool runs once under valgrind's cachegrind, which counts
 * the instructions a process executes, every thread's. A count does not depend on what else the machine
 * does, where a time does (on this shared machine a CPU-bound loop took from 0.33 to 1.55 s within a
 * minute), so two builds can be compared by a few runs of each made hours apart, to a change of 1 %.
 * For that, ours analyses on one thread (--threads 1) and V8 compiles on that thread too
 * (--single-threaded): valgrind runs a process's threads in turn, and how long code stays in V8's
 * interpreter before compiled code made on another thread replaces it depends on how the turns fall
 * (three runs of (a)/10's first screen with the default two threads counted 12.4, 12.7 and 23.7
 * billion); so configured, eight runs of one build counted 11.23-11.41 billion (the event loop's turns
 * follow when the file's reads complete). The count is no time, and no comparison of
 * speed with tshark (shown for scale): instructions differ in cost, and tshark executes about half our
 * instructions per packet on (a) for about as much CPU time as ours on one thread. It also weighs V8's
 * compiling as if it ran on the analysing thread, where a real run compiles beside it when a CPU is
 * spare: it compares builds, not compiler settings. Under valgrind a run takes 25 to 50 times as long:
 * use it with --quick. The `lab` case (a shipped capture of 80 packets) is counted as the command runs,
 * without --single-threaded, under which V8 would not take the build's code cache (three counts of one
 * build 1.3 % apart). The scan cases, which measure how work spreads over CPUs, are left out (and
 * --rounds, --stages and --cpu-prof do not apply). Needs valgrind (apt-get install -y valgrind). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTraffic, type OutputFormat, type TrafficSpec } from './traffic';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'bench-out');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profile = args.includes('--cpu-prof');
const stages = args.includes('--stages');
const countInstructions = args.includes('--instructions');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const roundsArg = args.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length);
const roundsOverride = roundsArg === undefined ? null : Number(roundsArg);
const scale = quick ? 0.1 : 1;

/** `rounds`: runs of each tool, alternated (default ROUNDS); `screenOnly`: the first screen, without
 * --json (what `tcpteardown analyze dump.pcap` does). The capture is generated (`spec`, `format`;
 * `capture`: the case whose capture it reads), or `shipped` in captures/. */
type Case = { name: string; what: string; args?: string[]; rounds?: number; screenOnly?: boolean }
  & ({ spec: TrafficSpec; format: OutputFormat; capture?: string } | { shipped: string });

/** Three runs each: the median is then one that neither a slow nor a fast moment of the machine made. */
const ROUNDS = 3;

const base = (connections: number): TrafficSpec => ({ connections: Math.round(connections * scale), concurrent: 1000, lifetimeS: 1, anomalyShare: 0.03, seed: 1 });
const bulk = (connections: number): TrafficSpec => ({ ...base(connections), concurrent: 100, lifetimeS: 10, bulkSegments: 1_330 });
const CASES: Case[] = [
  { name: 'a', what: '~2 M packets, 200 k short connections, 1 k open at a time', spec: base(200_000), format: 'pcap' },
  { name: 'a-screen', what: '(a), the first screen only (no --json)', spec: base(200_000), format: 'pcap', screenOnly: true, capture: 'a' },
  // (b) and (c) are there for memory (and take minutes each): one run each, unless --rounds says otherwise.
  { name: 'b', what: '500 k connections open at the same time', spec: { ...base(500_000), allOpenAtOnce: true }, format: 'pcap', rounds: 1 },
  // 2 M connections: more than the default --max-connections (which bounds what a flood can make us hold).
  { name: 'c', what: '~20 M packets, constant concurrency (long capture)', spec: base(2_000_000), format: 'pcap', args: ['--max-connections', '3000000'], rounds: 1 },
  { name: 'd-pcapng', what: '(a) as pcapng', spec: base(200_000), format: 'pcapng' },
  { name: 'd-gzip', what: '(a) as gzip pcap', spec: base(200_000), format: 'pcap.gz' },
  // (a) has 9 packets a connection, where the cost per connection dominates; most captures of real
  // services carry far more, and this one shows the cost per packet.
  { name: 'e', what: '~1.7 M packets, 1 k bulk connections (1,330 full segments each), 100 open at a time', spec: bulk(1_000), format: 'pcap' },
  // Most captures an on-call engineer opens are small: there, starting up is the whole time.
  { name: 'lab', what: "the incident's lab capture (README's first command): starting up", shipped: 'keepalive-starvation.pcap', screenOnly: true, rounds: 11 },
];

/** The scan cases: captures like (a) with fewer connections, each with its own seed. Each worker of a
 * scan compiles the hot code anew (on its own thread when no CPU is spare, see compiler-flags.ts: about
 * 1 s on a first capture like (a)/10, 0.5 s on the second, 0.1 s from the fourth), so the size of the
 * captures matters: 27 MB ones, and 110 MB ones, the size `tcpdump -C 100` rotates at. */
interface ScanSet { name: string; captures: number; connections: number }
const SCAN_SETS: ScanSet[] = [
  { name: 'scan', captures: 8, connections: 20_000 },
  { name: 'scan-large', captures: 4, connections: 80_000 },
];

interface Run { wallS: number; cpuS: number; maxRssMb: number; status: number | null }

/** Wall time, CPU time (user + system, all threads) and peak RSS of a command, through GNU time. */
function measure(cmd: string, cmdArgs: string[]): Run {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = (r.stderr ?? '').trim().split('\n');
  const [user, system, rssKb] = lines[lines.length - 1].split(' ').map(Number);
  return { wallS, cpuS: user + system, maxRssMb: rssKb / 1024, status: r.status };
}

/** Instructions a command executed, all its threads' (cachegrind's "I refs"); null when it failed. */
function instructionsOf(cmd: string, cmdArgs: string[]): number | null {
  const r = spawnSync('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', cmd, ...cmdArgs],
    { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  const refs = /I\s+refs:\s+([\d,]+)/.exec(r.stderr ?? '');
  return r.status === 0 && refs !== null ? Number(refs[1].replace(/,/g, '')) : null;
}

function hasValgrind(): boolean {
  return spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Null when GNU time reported no CPU time at all (a run too short to measure, or one that failed). */
function perCpuSecond(packets: number, run: Run): number | null {
  return run.cpuS > 0 ? Math.round(packets / run.cpuS) : null;
}

function succeeded(run: Run): boolean {
  return run.status === 0;
}

/** Seconds per pipeline stage, from test/bench/stages.js. */
function stageTimes(file: string, args: string[]): Record<string, number> | null {
  const r = spawnSync(process.execPath, [join(__dirname, 'stages.js'), file, ...args], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout) as Record<string, number> : null;
}

function hasTshark(): boolean {
  return spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  // Odd: the median is then one of the runs, not the slower of two middle ones.
  if (roundsOverride !== null && !(Number.isInteger(roundsOverride) && roundsOverride >= 1 && roundsOverride % 2 === 1)) {
    throw new Error(`--rounds wants an odd whole number (1, 3, 5…): ${roundsArg}`);
  }
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  if (countInstructions && !hasValgrind()) throw new Error('--instructions needs valgrind (apt-get install -y valgrind)');
  const results = [];
  const counts: InstructionRow[] = [];
  const tshark = hasTshark();
  for (const c of CASES.filter((x) => !onlyArg || onlyArg.split(',').includes(x.name))) {
    const { file, packets } = await captureOf(c);
    const mb = statSync(file).size / 1e6;
    process.stderr.write(`case ${c.name}: ${packets} packets, ${mb < 1 ? mb.toPrecision(2) : mb.toFixed(0)} MB\n`);
    const report = join(OUT, `${c.name}.json`);
    const ourArgs = [CLI, 'analyze', file, ...(c.screenOnly === true ? [] : ['--json', report, '--quiet']), '--no-progress', ...(c.args ?? [])];
    if (countInstructions) {
      // A shipped capture is counted as the command runs it: V8 takes the build's code cache only under
      // the flags it was made with (src/cli/code-cache.ts), and a run that short compiles little beside.
      const nodeFlags = 'shipped' in c ? [] : ['--single-threaded'];
      const ours = instructionsOf(process.execPath, [...nodeFlags, ...ourArgs, '--threads', '1']);
      const row = instructionRow(c.name, packets, ours, tshark ? instructionsOf('tshark', TSHARK_ARGS(file)) : null);
      counts.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      continue;
    }
    const floor = measure(process.execPath, [join(__dirname, 'read-floor.js'), file]);
    const runs: { ours: Run[]; tshark: Run[] } = { ours: [], tshark: [] };
    const runOurs = (): void => {
      // The last run's report is deleted first: on some file systems deleting half a gigabyte takes a
      // second, which is not analysing.
      rmSync(report, { force: true });
      runs.ours.push(measure(process.execPath, [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${OUT}`] : []), ...ourArgs]));
    };
    const runTshark = (): void => {
      if (tshark) runs.tshark.push(measure('tshark', TSHARK_ARGS(file)));
    };
    // Which goes first alternates too, so that neither always runs on a cache the other warmed.
    for (let round = 0; round < (roundsOverride ?? c.rounds ?? ROUNDS); round++) for (const run of round % 2 === 0 ? [runOurs, runTshark] : [runTshark, runOurs]) run();
    const ours = medianRun(runs.ours);
    const theirs = tshark ? medianRun(runs.tshark) : null;
    const row = {
      case: c.name, what: c.what, packets, mb: Number(mb < 1 ? mb.toPrecision(2) : mb.toFixed(1)),
      read_floor_s: round(floor.wallS),
      // CPU time beside wall time: the target's "packets/s on one core" is packets per CPU second, and
      // our default run keeps two threads busy where tshark has one.
      ours: { wall_s: round(ours.wallS), runs_s: runs.ours.map((r) => round(r.wallS)), packets_per_s: Math.round(packets / ours.wallS), mb_per_s: round(mb / ours.wallS),
        cpu_s: round(ours.cpuS), packets_per_cpu_s: perCpuSecond(packets, ours),
        peak_rss_mb: Math.round(Math.max(...runs.ours.map((r) => r.maxRssMb))), ok: runs.ours.every(succeeded) },
      tshark: theirs && { wall_s: round(theirs.wallS), runs_s: runs.tshark.map((r) => round(r.wallS)), packets_per_s: Math.round(packets / theirs.wallS),
        cpu_s: round(theirs.cpuS), packets_per_cpu_s: perCpuSecond(packets, theirs),
        peak_rss_mb: Math.round(Math.max(...runs.tshark.map((r) => r.maxRssMb))), ok: runs.tshark.every(succeeded) },
      // A run that failed (a full disk, say) says nothing about speed.
      speedup_vs_tshark: theirs && runs.ours.every(succeeded) && runs.tshark.every(succeeded) ? round(theirs.wallS / ours.wallS) : null,
      // stages.js times the pipeline with its JSON text.
      stages: stages && c.screenOnly !== true ? stageTimes(file, c.args ?? []) : null,
    };
    results.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  const header = ['case', 'packets', 'MB', 'read floor s', 'ours s', 'ours pkt/s', 'ours MB/s', 'ours CPU s', 'ours pkt/CPU s', 'ours RSS MB',
    'tshark s', 'tshark CPU s', 'tshark RSS MB', 'speed-up'];
  const table = results.map((r) => [r.case, r.packets, r.mb, r.read_floor_s, r.ours.ok ? r.ours.wall_s : 'FAILED', r.ours.packets_per_s, r.ours.mb_per_s,
    r.ours.cpu_s, r.ours.packets_per_cpu_s ?? '-', r.ours.peak_rss_mb,
    r.tshark ? (r.tshark.ok ? r.tshark.wall_s : 'FAILED') : '-', r.tshark?.cpu_s ?? '-', r.tshark?.peak_rss_mb ?? '-', r.speedup_vs_tshark ?? '-'].map(String));
  if (results.length > 0) {
    process.stdout.write(`\n${textTable(header, table)}\n(times: the median run, CPU its user + system time; RSS: the highest of the runs; each run, ours | tshark:`);
    process.stdout.write(`${results.map((r) => ` ${r.case} ${r.ours.runs_s.join('/')} | ${r.tshark?.runs_s.join('/') ?? '-'}`).join(';')})\n`);
  }
  if (stages) {
    const names = ['read_s', 'decode_s', 'flow_lookup_s', 'tcp_replay_s', 'records_s', 'views_s', 'connection_detectors_facts_spool_s', 'json_lines_s',
      'detect_and_report_s', 'json_text_s', 'peak_rss_mb'];
    const rows = results.map((r) => [r.case, ...names.map((n) => String(r.stages?.[n] ?? '-'))]);
    process.stdout.write(`\nwhere our time goes (seconds; stages.js, one process):\n${textTable(['case', ...names], rows)}\n`);
  }
  if (counts.length > 0) {
    const header = ['case', 'packets', 'ours instructions', 'ours per packet', 'tshark instructions', 'tshark per packet'];
    const table = counts.map((r) => [r.case, r.packets, r.ours ?? 'FAILED', r.ours_per_packet ?? '-', r.tshark ?? '-', r.tshark_per_packet ?? '-'].map(String));
    process.stdout.write(`\n${textTable(header, table)}\n(instructions executed, one run of each under cachegrind, ours on one thread: for comparing builds, not times)\n`);
  }
  const scan = [];
  if (!countInstructions) for (const set of SCAN_SETS.filter((x) => !onlyArg || onlyArg.split(',').includes(x.name))) scan.push(await scanCase(set));
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), quick, results, instructions: counts, scan }, null, 2)}\n`);
}

/** The case's capture and its packets: shipped in captures/ (counted by reading it), or generated under
 * bench-out/ the first time, with its count beside it. */
async function captureOf(c: Case): Promise<{ file: string; packets: number }> {
  if ('shipped' in c) {
    const file = join(ROOT, 'captures', c.shipped);
    // read-floor.js prints the records it read.
    const floor = spawnSync(process.execPath, [join(__dirname, 'read-floor.js'), file], { encoding: 'utf8' });
    if (floor.status !== 0) throw new Error(`cannot read ${file}: ${floor.stderr.trim()}`);
    return { file, packets: Number(floor.stdout) };
  }
  const ext = c.format === 'pcapng' ? 'pcapng' : c.format === 'pcap.gz' ? 'pcap.gz' : 'pcap';
  const file = join(OUT, `${c.capture ?? c.name}-${c.spec.connections}-${c.spec.seed}.${ext}`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} …\n`);
    writeFileSync(`${file}.packets`, String(await writeTraffic(c.spec, file, c.format)));
  }
  return { file, packets: Number(readFileSync(`${file}.packets`, 'utf8')) };
}

/** `tcpteardown scan` of the same captures with 1 job and with 2, alternated so that both see the same
 * machine (timings here vary by a tenth from run to run); the median of each, and the throughput ratio. */
async function scanCase(set: ScanSet): Promise<object> {
  const dir = join(OUT, `scan-${set.captures}x${base(set.connections).connections}`);
  mkdirSync(dir, { recursive: true });
  for (let seed = 1; seed <= set.captures; seed++) {
    const file = join(dir, `a-${seed}.pcap`);
    if (existsSync(file)) continue;
    process.stderr.write(`generating ${file} …\n`);
    // Under another name until complete: an interrupted run leaves no short capture to be taken as done.
    await writeTraffic({ ...base(set.connections), seed }, `${file}.part`, 'pcap');
    renameSync(`${file}.part`, file);
  }
  const mb = readdirSync(dir).filter((f) => f.endsWith('.pcap')).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0) / 1e6;
  process.stderr.write(`case ${set.name}: ${set.captures} captures, ${mb.toFixed(0)} MB, ${availableParallelism()} CPUs\n`);
  const runs: Record<1 | 2, Run[]> = { 1: [], 2: [] };
  const rounds = roundsOverride ?? ROUNDS;
  for (let round = 0; round < rounds; round++) {
    for (const jobs of round % 2 === 0 ? [1, 2] as const : [2, 1] as const) {
      const out = mkdtempSync(join(tmpdir(), 'tcpteardown-bench-scan-'));
      try {
        const run = measure(process.execPath, [CLI, 'scan', dir, '--jobs', String(jobs), '--out', out, '--quiet', '--no-progress']);
        // 1 says what was found (not asked for here); 2 and 3, that a capture could not be read.
        if (run.status !== 0 && run.status !== 1) throw new Error(`scan --jobs ${jobs} failed (exit ${run.status})`);
        runs[jobs].push(run);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
  }
  const summary = (jobs: 1 | 2): { wall_s: number[]; median_s: number; mb_per_s: number; cores_busy: number; peak_rss_mb: number } => {
    const median = medianRun(runs[jobs]);
    return {
      wall_s: runs[jobs].map((r) => round(r.wallS)), median_s: round(median.wallS), mb_per_s: round(mb / median.wallS),
      cores_busy: round(median.cpuS / median.wallS), peak_rss_mb: Math.round(Math.max(...runs[jobs].map((r) => r.maxRssMb))),
    };
  };
  const row = { case: set.name, captures: set.captures, mb: round(mb), cpus: availableParallelism(), jobs_1: summary(1), jobs_2: summary(2),
    throughput_ratio: round(medianRun(runs[1]).wallS / medianRun(runs[2]).wallS) };
  process.stdout.write(`\nbatch ${set.name}, ${set.captures} captures of ${round(mb / set.captures)} MB, ${row.cpus} CPUs (median of ${rounds} alternated runs):\n`);
  for (const jobs of [1, 2] as const) {
    const r = row[`jobs_${jobs}`];
    process.stdout.write(`  --jobs ${jobs}: ${r.median_s} s (${r.wall_s.join(', ')}), ${r.mb_per_s} MB/s, ${r.cores_busy} cores busy, ${r.peak_rss_mb} MB RSS\n`);
  }
  process.stdout.write(`  throughput with 2 jobs: ${row.throughput_ratio}× that of 1\n`);
  return row;
}

const TSHARK_ARGS = (file: string): string[] => ['-r', file, '-q', '-z', 'conv,tcp'];

interface InstructionRow {
  case: string; packets: number; ours: number | null; ours_per_packet: number | null; tshark: number | null; tshark_per_packet: number | null;
}

function instructionRow(name: string, packets: number, ours: number | null, tshark: number | null): InstructionRow {
  const perPacket = (n: number | null): number | null => (n === null ? null : Math.round(n / packets));
  return { case: name, packets, ours, ours_per_packet: perPacket(ours), tshark, tshark_per_packet: perPacket(tshark) };
}

/** Columns right-aligned to their widest cell, the header first. */
function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [header, ...rows].map(line).join('\n');
}

function medianRun(runs: Run[]): Run {
  return [...runs].sort((a, b) => a.wallS - b.wallS)[Math.floor(runs.length / 2)];
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
