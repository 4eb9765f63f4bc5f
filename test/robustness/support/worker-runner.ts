/** Runs fuzz inputs in a worker thread (fuzz-worker.ts, loaded through tsx), so an input that never
 * lets go of the CPU can be stopped with Worker.terminate and reported as a hang. */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FuzzRequest } from '../fuzz-worker';
import type { FuzzResult } from './fuzz-target';

export class WorkerRunner {
  private worker: Worker | null = null;
  private nextId = 0;
  /** Workers stopped because an input ran past its limit. */
  restarts = 0;

  private start(): Worker {
    const tsx = require.resolve('tsx/cjs');
    const script = join(__dirname, '..', 'fuzz-worker.ts');
    const w = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true });
    w.unref();
    return w;
  }

  private stop(worker: Worker): void {
    if (this.worker === worker) this.worker = null;
    this.restarts++;
    void worker.terminate();
  }

  /** `timeoutMs` is the base; inputs get 1 ms more per 2 KB of `sizeHint` (the decompressed size). */
  run(bytes: Buffer, chunkSeed: number, timeoutMs: number, sizeHint = bytes.length): Promise<FuzzResult> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    const limit = timeoutMs + Math.ceil(Math.max(sizeHint, bytes.length) / 2048);
    return new Promise<FuzzResult>((resolve) => {
      const done = (result: FuzzResult): void => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        // A hang seen inside the worker leaves its work running there: start afresh.
        if (result.verdict === 'hang') this.stop(worker);
        resolve(result);
      };
      const onMessage = (m: { id: number; result: FuzzResult }): void => {
        if (m.id === id) done(m.result);
      };
      const onError = (err: Error): void => {
        if (this.worker === worker) this.worker = null;
        done(failure('crash', 'worker-died', `worker died: ${err.message.split('\n')[0]}`, 0));
      };
      // A loop that never yields never reaches the worker's own timer: this one ends the worker.
      const timer = setTimeout(() => done(failure('hang', 'hang', `no result after ${limit} ms (worker terminated)`, limit)), limit + 2000);
      worker.on('message', onMessage);
      worker.on('error', onError);
      const copy = new Uint8Array(bytes);
      worker.postMessage({ id, bytes: copy, chunkSeed, timeoutMs: limit } satisfies FuzzRequest, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}

function failure(verdict: 'crash' | 'hang', outcome: string, problem: string, ms: number): FuzzResult {
  return { verdict, outcome, problems: [problem], ms, packets: 0, bytesRead: 0, codes: [] };
}
