import { nowS, run, sleep } from './exec';
import { HOSTS, type Host } from './links';
import { parseSs, type SsSocket } from './ss-parse';

export interface Sample {
  /** Middle of the `ss` run: the snapshot was taken within ±spread of it. */
  at: number;
  spread: number;
  sockets: SsSocket[];
}

export type Samples = Record<Host, Sample[]>;

/** Polls `ss -tane` in both hosts' namespaces every `intervalMs`: each socket's state and cookie, and
 * for the listener its Recv-Q (the accept queue) and Send-Q (the backlog) in the same snapshot. */
export class SsPoller {
  private readonly samples: Samples = { server: [], client: [] };
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly ns: Record<Host, string>, readonly intervalMs: number) {}

  /** Resolves after the first snapshot, so the truth starts before the traffic. */
  async start(): Promise<void> {
    this.running = true;
    await this.pollOnce();
    this.loop = this.pollLoop();
  }

  /** Takes one last snapshot after the loop ends and returns them all. */
  async stop(): Promise<Samples> {
    this.running = false;
    await this.loop;
    await this.pollOnce();
    return this.samples;
  }

  /** Ends the loop on a failed run, whatever state the namespaces are in. */
  async cancel(): Promise<void> {
    this.running = false;
    await this.loop.catch(() => undefined);
  }

  private async pollLoop(): Promise<void> {
    let next = nowS() * 1000 + this.intervalMs;
    while (this.running) {
      await sleep(Math.max(0, next - nowS() * 1000));
      if (!this.running) break;
      next += this.intervalMs;
      await this.pollOnce();
    }
  }

  private async pollOnce(): Promise<void> {
    await Promise.all(HOSTS.map(async (host) => {
      const before = nowS();
      const text = await run('ss', ['-N', this.ns[host], '-taneH']);
      const after = nowS();
      this.samples[host].push({ at: (before + after) / 2, spread: (after - before) / 2, sockets: parseSs(text) });
    }));
  }
}
