import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { IFACE, WIRE_IFACES } from './links';
import type { Lab } from './netns';

/** One capture file a scenario writes, and how. */
export interface RecorderSpec {
  file: string;
  tool: 'tcpdump' | 'dumpcap';
  /** The server's end of the link (default), or the 802.1Q trunk inside the wire. */
  at?: 'server' | 'trunk';
  /** `-i any`: Linux cooked capture (tcpdump 4.99 picks v2 unless told `-y LINUX_SLL`). */
  any?: boolean;
  linkType?: 'LINUX_SLL' | 'LINUX_SLL2';
  nano?: boolean;
  /** Also write FILE.gz once the capture is complete. */
  gzip?: boolean;
}

/** Longer than any scenario plus its setup. */
const MAX_RECORD_S = 180;

export interface RecorderResult {
  /** The command, as run inside the namespace. */
  command: string;
  packets: number;
}

export interface Recorder {
  /** Stops it (SIGINT: it writes what it has and exits) and returns how many packets it kept. */
  stop(): Promise<RecorderResult>;
}

function recorderArgs(spec: RecorderSpec, path: string): string[] {
  const iface = spec.any ? 'any' : spec.at === 'trunk' ? WIRE_IFACES.trunkA : IFACE;
  if (spec.tool === 'dumpcap') return ['dumpcap', '-i', iface, '-q', '-w', path];
  // -U and immediate mode: every packet reaches the file as it arrives, none waits in a ring block
  // that SIGINT would drop. -Z root: keep writing as root into a root-owned folder.
  const args = ['tcpdump', '-i', iface, '-n', '-U', '--immediate-mode', '-Z', 'root', '-w', path];
  if (spec.linkType) args.push('-y', spec.linkType);
  if (spec.nano) args.push('--time-stamp-precision=nano');
  return args;
}

/** Starts a recorder and resolves once it is capturing: both tools say so on stderr only after the
 * capture socket is open and bound. */
export function startRecorder(lab: Lab, spec: RecorderSpec, outDir: string): Promise<Recorder> {
  const ns = spec.at === 'trunk' ? lab.wireNs : lab.ns.server;
  if (ns === null) throw new Error(`${spec.file}: a trunk capture needs a wire with a VLAN`);
  const path = join(outDir, spec.file);
  const argv = recorderArgs(spec, path);
  // timeout: a run that dies without stopping its recorders leaves none running for long.
  const child = spawn('ip', ['netns', 'exec', ns, 'timeout', '--signal=INT', String(MAX_RECORD_S), ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (b: Buffer) => {
      const was = stderr;
      stderr += b.toString();
      if (!/listening on|Capturing on/.test(was) && /listening on|Capturing on/.test(stderr)) {
        resolve({ stop });
      }
    });
    exited.then((code) => reject(new Error(`${argv[0]} ended with ${code} before capturing:\n${stderr}`)));
  });

  async function stop(): Promise<RecorderResult> {
    child.kill('SIGINT');
    const code = await exited;
    if (code !== 0) throw new Error(`${argv[0]} ended with ${code}:\n${stderr}`);
    chmodSync(path, 0o644); // dumpcap writes 0600
    const dropped = /(\d+) packets dropped by kernel/.exec(stderr) ?? /dropped on interface '[^']*': \d+\/(\d+)/.exec(stderr);
    if (dropped && Number(dropped[1]) > 0) throw new Error(`${spec.file}: the kernel dropped ${dropped[1]} packets`);
    const kept = /(\d+) packets captured/.exec(stderr) ?? /Packets captured: (\d+)/.exec(stderr);
    return { command: commandText(argv, spec.file), packets: kept ? Number(kept[1]) : -1 };
  }
}

/** The command as a person would type it inside the namespace, with the output path made relative. */
function commandText(argv: readonly string[], file: string): string {
  return argv.map((a) => (a.endsWith(`/${file}`) ? file : a)).join(' ');
}
