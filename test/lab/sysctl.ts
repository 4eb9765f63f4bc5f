import { runSync } from './exec';

export type Sysctls = Record<string, string | number>;

export function setSysctls(ns: string, sysctls: Sysctls): void {
  const pairs = Object.entries(sysctls).map(([k, v]) => `${k}=${v}`);
  if (pairs.length > 0) runSync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', ...pairs]);
}

/** Kernel settings that shape the scenarios' timing. A namespace starts from the kernel's defaults,
 * not from the host's settings. */
const TIMING_SYSCTLS = [
  'net.ipv4.tcp_syn_linear_timeouts', 'net.ipv4.tcp_syn_retries', 'net.ipv4.tcp_synack_retries',
  'net.ipv4.tcp_fin_timeout', 'net.core.somaxconn', 'net.ipv4.tcp_syncookies', 'net.ipv4.tcp_timestamps',
];

/** Their values in a namespace; a key this kernel lacks is left out (-e). */
export function timingSysctls(ns: string): Sysctls {
  const values: Sysctls = {};
  for (const line of runSync('ip', ['netns', 'exec', ns, 'sysctl', '-e', ...TIMING_SYSCTLS]).split('\n')) {
    const m = /^(\S+) = (.*)$/.exec(line);
    if (m) values[m[1]] = m[2];
  }
  return values;
}
