import { randomBytes } from 'node:crypto';
import { runSync } from './exec';
import { buildLinks, type Host, type WireSpec } from './links';
import type { Sysctls } from './sysctl';

export interface LabSpec {
  ipv6: boolean;
  wire?: WireSpec;
  sysctls: Partial<Record<Host, Sysctls>>;
}

export interface Lab {
  ns: Record<Host, string>;
  /** The namespace of the userspace wire between the hosts, if the scenario has one. */
  wireNs: string | null;
}

const PREFIX = 'tcplab-';
const active = new Set<Lab>();

/** Namespaces are named after this process and a random tag: parallel runs never share one, and a
 * crashed run's leftovers can be recognised (reapStaleLabs) instead of getting in the way. */
export function createLab(spec: LabSpec): Lab {
  const id = `${process.pid}-${randomBytes(2).toString('hex')}`;
  const lab: Lab = {
    ns: { server: `${PREFIX}${id}-server`, client: `${PREFIX}${id}-client` },
    wireNs: spec.wire ? `${PREFIX}${id}-wire` : null,
  };
  active.add(lab);
  try {
    for (const ns of namespaces(lab)) {
      runSync('ip', ['netns', 'add', ns]);
      runSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    buildLinks(lab.ns, lab.wireNs, spec.ipv6, spec.wire?.vlanId !== undefined, spec.sysctls);
  } catch (e) {
    destroyLab(lab);
    throw e;
  }
  return lab;
}

function namespaces(lab: Lab): string[] {
  return lab.wireNs === null ? [lab.ns.server, lab.ns.client] : [lab.ns.server, lab.ns.client, lab.wireNs];
}

/** Synchronous, so it also runs from signal and exit handlers. Ends what is still running inside the
 * lab's namespaces (only this run's peers can be there), then deletes them with their links. */
export function destroyLab(lab: Lab): void {
  for (const ns of namespaces(lab)) {
    let pids: string[];
    try {
      pids = runSync('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean);
    } catch {
      continue; // never created
    }
    for (const pid of pids) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
    }
    try { runSync('ip', ['netns', 'del', ns]); } catch { /* already gone */ }
  }
  active.delete(lab);
}

export function destroyAllLabs(): void {
  for (const lab of [...active]) destroyLab(lab);
}

/** Deletes the names of namespaces whose run died without cleaning up (its pid is gone). What ran in
 * them ends by itself: every peer and recorder has a bounded lifetime. */
export function reapStaleLabs(): void {
  const names = runSync('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]);
  for (const name of names) {
    const m = /^tcplab-(\d+)-/.exec(name);
    if (m && !isAlive(Number(m[1]))) {
      try { runSync('ip', ['netns', 'del', name]); } catch { /* raced with another reaper */ }
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
