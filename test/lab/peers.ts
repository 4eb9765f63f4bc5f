import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
const PEERS_DIR = join(__dirname, 'peers');

/** A stdlib-only python3 peer (python3 is on every machine). */
export function python(file: string, args: readonly (string | number)[]): string[] {
  return ['python3', join(PEERS_DIR, file), ...args.map(String)];
}

/** A Node peer in TypeScript, run through tsx in one process (so its pid is the one to stop). */
export function node(file: string, args: readonly (string | number)[]): string[] {
  return [process.execPath, '--import', 'tsx', join(PEERS_DIR, file), ...args.map(String)];
}

export interface Peer {
  /** Resolves when the peer prints "ready" (listening, bound); rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves when it exits; rejects when it failed (non-zero exit) while we were not stopping it. */
  exited: Promise<void>;
  stop(): void;
}

/** Starts a command inside a namespace. `ip netns exec` execs it, so the child's pid is the peer's. */
export function startPeer(ns: string, name: string, argv: readonly string[]): Peer {
  const child = spawn('ip', ['netns', 'exec', ns, ...argv], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stopping = false;
  let running = true;
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      running = false;
      if (code === 0 || stopping) resolve();
      else reject(new Error(`peer ${name} ended with ${code ?? signal}:\n${output}`));
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
      if (/^ready$/m.test(output)) resolve();
    });
    exited.then(() => reject(new Error(`peer ${name} exited before it was ready:\n${output}`)), reject);
  });
  child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
  // Whoever awaits only one of the two must not see the other's rejection as unhandled.
  ready.catch(() => undefined);
  exited.catch(() => undefined);
  return {
    ready,
    exited,
    stop: () => {
      stopping = true;
      if (running) child.kill('SIGTERM');
    },
  };
}
