import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, Task, TaskKind, TaskResults } from './messages';

/** Built beside this file by tsc: worker threads run plain JavaScript. */
const WORKER_SCRIPT = join(__dirname, 'worker.js');

type TaskOf<K extends TaskKind> = Extract<Task, { kind: K }>;

export type OnProgress = (bytesRead: number, packets: number) => void;

interface Job {
  id: number;
  task: Task;
  onProgress: OnProgress;
  resolve(result: TaskResults[TaskKind]): void;
  reject(err: Error): void;
}

/** A failure inside a worker: a bug, or the worker died (out of memory). */
export class WorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerError';
  }
}

/** Runs tasks on up to `size` worker threads, one task per thread at a time, in submission order.
 * A worker that dies fails its task only; a new one takes its place. */
export class WorkerPool {
  private readonly queue: Job[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private started = 0;
  private nextId = 1;
  private closing = false;

  constructor(private readonly size: number) {}

  run<K extends TaskKind>(task: TaskOf<K>, onProgress: OnProgress = () => undefined): Promise<TaskResults[K]> {
    return new Promise((resolve, reject) => {
      // The worker answers with the result type of the task's kind (messages.ts).
      this.queue.push({ id: this.nextId++, task, onProgress, resolve: resolve as (r: TaskResults[TaskKind]) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.idle, ...this.busy.keys()].map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.started < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      worker.postMessage({ id: job.id, task: job.task });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SCRIPT);
    this.started++;
    worker.on('message', (msg: FromWorker) => this.onMessage(worker, msg));
    worker.on('error', (err) => this.onDeath(worker, err.message));
    worker.on('exit', (code) => this.onDeath(worker, `worker thread exited (code ${code})`));
    return worker;
  }

  private onMessage(worker: Worker, msg: FromWorker): void {
    const job = this.busy.get(worker);
    if (!job || job.id !== msg.id) return;
    if (msg.type === 'progress') {
      job.onProgress(msg.bytes, msg.packets);
      return;
    }
    this.busy.delete(worker);
    this.idle.push(worker);
    if (msg.type === 'done') job.resolve(msg.result);
    else job.reject(new WorkerError(msg.message));
    this.dispatch();
  }

  /** 'error' and 'exit' both come for one death: the first fails the task, both forget the worker. */
  private onDeath(worker: Worker, message: string): void {
    if (this.closing) return;
    const job = this.busy.get(worker);
    const wasIdle = this.idle.indexOf(worker);
    if (wasIdle >= 0) this.idle.splice(wasIdle, 1);
    if (!job && wasIdle < 0) return;
    this.busy.delete(worker);
    this.started--;
    job?.reject(new WorkerError(message));
    this.dispatch();
  }
}

/** The index line for a task that failed inside its worker; anything else is rethrown. */
export function workerFailure(err: unknown): string {
  if (!(err instanceof WorkerError)) throw err;
  return `internal error: ${err.message.split('\n')[0]} (please report it)`;
}
