/** The CPUs a process may use: Node's count, lowered by a cgroup's CPU quota. */
import { cpuQuota, usableCpus, type ReadControlFile } from '../../src/cli/usable-cpus';

const files = (entries: Record<string, string>): ReadControlFile => (path) => entries[path] ?? null;

describe('usable CPUs', () => {
  it('reads cgroup v2 cpu.max: no quota, one CPU, a CPU and a half', () => {
    expect(cpuQuota(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBeNull();
    expect(cpuQuota(files({ '/sys/fs/cgroup/cpu.max': '100000 100000\n' }))).toBe(1);
    expect(cpuQuota(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(1.5);
  });

  it('reads cgroup v1 cfs quota and period, -1 being none', () => {
    const v1 = (quota: string): ReadControlFile => files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': quota, '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' });
    expect(cpuQuota(v1('-1\n'))).toBeNull();
    expect(cpuQuota(v1('200000\n'))).toBe(2);
  });

  it("reads the process's own cgroup first, then the top of the mount (a container's own)", () => {
    const v1 = {
      '/proc/self/cgroup': '11:memory:/box\n4:cpu,cpuacct:/box\n0::/\n',
      '/sys/fs/cgroup/cpu/box/cpu.cfs_quota_us': '100000', '/sys/fs/cgroup/cpu/box/cpu.cfs_period_us': '100000',
      '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
    };
    expect(cpuQuota(files(v1))).toBe(1);
    expect(cpuQuota(files({ ...v1, '/proc/self/cgroup': '4:cpu,cpuacct:/elsewhere\n' }))).toBeNull();
    const v2 = { '/proc/self/cgroup': '0::/user.slice/job\n', '/sys/fs/cgroup/user.slice/job/cpu.max': '50000 100000', '/sys/fs/cgroup/cpu.max': 'max 100000' };
    expect(cpuQuota(files(v2))).toBe(0.5);
    expect(cpuQuota(files({ ...v2, '/proc/self/cgroup': '0::/\n' }))).toBeNull();
  });

  it('takes no cgroup files, or files it cannot read as numbers, as no quota', () => {
    expect(cpuQuota(files({}))).toBeNull();
    expect(cpuQuota(files({ '/sys/fs/cgroup/cpu.max': 'garbage' }))).toBeNull();
  });

  it('counts a partial CPU as one, never more than Node sees, never less than one', () => {
    const quota = (text: string): ReadControlFile => files({ '/sys/fs/cgroup/cpu.max': text });
    expect(usableCpus(quota('150000 100000'), 16)).toBe(2);
    expect(usableCpus(quota('100000 100000'), 16)).toBe(1);
    expect(usableCpus(quota('800000 100000'), 4)).toBe(4);
    expect(usableCpus(quota('1000 100000'), 4)).toBe(1);
    expect(usableCpus(quota('max 100000'), 4)).toBe(4);
  });
});
