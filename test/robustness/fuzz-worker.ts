/** Runs fuzz inputs for fuzz.ts in a worker thread, so an input that never lets go of the CPU can
 * be stopped (Worker.terminate) and reported as a hang. */
import { parentPort } from 'node:worker_threads';
import { fuzzOne } from './support/fuzz-target';

export interface FuzzRequest {
  id: number;
  bytes: Uint8Array;
  chunkSeed: number;
  timeoutMs: number;
}

const port = parentPort;
if (port === null) throw new Error('fuzz-worker.ts runs as a worker of fuzz.ts');

port.on('message', (req: FuzzRequest) => {
  const bytes = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
  fuzzOne(bytes, req.chunkSeed, req.timeoutMs).then(
    (result) => port.postMessage({ id: req.id, result }),
    (err: unknown) => port.postMessage({ id: req.id, result: { verdict: 'crash', outcome: 'harness', problems: [`fuzz harness failed: ${String(err)}`], ms: 0, packets: 0, bytesRead: 0, codes: [] } }),
  );
});
