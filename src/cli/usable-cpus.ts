/** How many CPUs this process may keep busy: what Node sees (all the host's, less any CPU affinity),
 * lowered by a cgroup's CPU quota. In a container limited to one CPU on a 16-core host, Node sees 16:
 * 16 scan jobs, or a second replay thread, would then share one CPU's time and only slow each other. */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Reads a file of the cgroup file system; null when it is not there. */
export type ReadControlFile = (path: string) => string | null;

function readControlFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function usableCpus(read: ReadControlFile = readControlFile, cpus = availableParallelism()): number {
  const quota = cpuQuota(read);
  return quota === null ? cpus : Math.max(1, Math.min(cpus, Math.ceil(quota)));
}

/** The CPU quota in CPUs (1.5 for 150 ms per 100 ms), or null for none: cgroup v2's cpu.max ("max
 * 100000", "150000 100000"), else v1's cfs quota (-1 for none) and period; in the process's own cgroup
 * (from /proc/self/cgroup) where that is mounted as such, else at the top of /sys/fs/cgroup, where a
 * container sees its own. */
export function cpuQuota(read: ReadControlFile): number | null {
  const { v2, v1 } = ownCgroups(read('/proc/self/cgroup') ?? '');
  for (const dir of candidates('/sys/fs/cgroup', v2)) {
    const max = read(`${dir}/cpu.max`);
    if (max === null) continue;
    const [quota, period] = max.trim().split(/\s+/);
    return quota === 'max' ? null : cpus(quota, period);
  }
  for (const dir of candidates('/sys/fs/cgroup/cpu', v1)) {
    const quota = read(`${dir}/cpu.cfs_quota_us`);
    const period = read(`${dir}/cpu.cfs_period_us`);
    if (quota !== null && period !== null) return cpus(quota.trim(), period.trim());
  }
  return null;
}

/** The process's cgroup paths: v2's ("0::/path") and v1's cpu controller's ("4:cpu,cpuacct:/path"). */
function ownCgroups(text: string): { v2: string | null; v1: string | null } {
  let v2: string | null = null;
  let v1: string | null = null;
  for (const line of text.split('\n')) {
    const [id, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (id === '0' && controllers === '') v2 = path;
    else if (controllers.split(',').includes('cpu')) v1 = path;
  }
  return { v2, v1 };
}

function candidates(mount: string, path: string | null): string[] {
  return path === null || path === '/' ? [mount] : [`${mount}${path}`, mount];
}

function cpus(quota: string | undefined, period: string | undefined): number | null {
  const q = Number(quota);
  const p = Number(period);
  return q > 0 && p > 0 ? q / p : null;
}
