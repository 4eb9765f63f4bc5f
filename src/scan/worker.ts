/** Worker thread entry (dist/scan/worker.js): runs one task at a time for pool.ts. */
import { parentPort } from 'node:worker_threads';
import { analyzeSet } from './analyze-set';
import { inspectFile } from './inspect';
import type { FromWorker, Task, TaskResults, TaskKind, ToWorker } from './messages';

/** Progress messages per second and task: enough for a display, few enough to cost nothing. */
const PROGRESS_PER_SECOND = 10;

const port = parentPort;
if (!port) throw new Error('scan/worker.js runs as a worker thread');

const post = (msg: FromWorker): void => port.postMessage(msg);

port.on('message', (msg: ToWorker) => {
  void run(msg).then(post);
});

async function run({ id, task }: ToWorker): Promise<FromWorker> {
  let last = 0;
  const progress = (bytes: number, packets = 0): void => {
    const now = Date.now();
    if (now - last < 1000 / PROGRESS_PER_SECOND) return;
    last = now;
    post({ id, type: 'progress', bytes, packets });
  };
  try {
    return { id, type: 'done', result: await perform(task, progress) };
  } catch (err) {
    const message = err instanceof Error ? `${err.message}${err.stack ? `\n${err.stack}` : ''}` : String(err);
    return { id, type: 'failed', message };
  }
}

function perform(task: Task, progress: (bytes: number, packets?: number) => void): Promise<TaskResults[TaskKind]> {
  return task.kind === 'inspect' ? inspectFile(task.path, task.probe, progress) : analyzeSet(task, progress);
}
