import { run } from './exec';

/** Kernel counters that the analyzer's view can be checked against exactly, packet for packet. */
const COUNTERS = [
  'TcpActiveOpens', 'TcpPassiveOpens', 'TcpAttemptFails', 'TcpEstabResets', 'TcpOutRsts', 'TcpRetransSegs',
  'TcpExtListenOverflows', 'TcpExtListenDrops', 'TcpExtTCPSynRetrans',
  'TcpExtTCPAbortOnData', 'TcpExtTCPAbortOnClose', 'TcpExtTCPAbortOnLinger',
  'TcpExtTCPToZeroWindowAdv', 'TcpExtTCPFromZeroWindowAdv', 'TcpExtTCPTimeouts',
] as const;

/** Absolute values (-a) without touching nstat's history file (-s); a new namespace starts at zero. */
export async function readCounters(ns: string): Promise<Record<string, number>> {
  const text = await run('ip', ['netns', 'exec', ns, 'nstat', '-asz', '--json', ...COUNTERS]);
  const json = JSON.parse(text) as { kernel: Record<string, number> };
  return json.kernel;
}
