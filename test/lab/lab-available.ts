import { spawnSync } from 'node:child_process';

const TOOLS: [cmd: string, args: string[]][] = [
  ['ip', ['netns', 'list']], ['ss', ['-V']], ['nstat', ['-V']], ['tcpdump', ['--version']],
  ['dumpcap', ['--version']], ['ethtool', ['--version']], ['python3', ['--version']],
];

/** Why the lab cannot run on this machine, or null when it can. */
export function labUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root (network namespaces and captures need it)';
  for (const [cmd, args] of TOOLS) {
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    if (r.error || r.status !== 0) return `\`${cmd} ${args[0]}\` does not work (bash test/lab/install-deps.sh installs it)`;
  }
  return null;
}
