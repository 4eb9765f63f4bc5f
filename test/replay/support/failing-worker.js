// A replay thread that fails once it has taken two batches of segments: as the real one does on an error
// (it gives up its end of the segment ring and says why), or, with REPLAY_TEST_FAILURE=exit, at once and
// without a word (as when it runs out of memory).
const { join } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { ByteRingReader } = require(join(__dirname, '..', '..', '..', 'dist', 'replay', 'byte-ring.js'));

const segments = new ByteRingReader(workerData.segments);
let batches = 0;
try {
  segments.takeAllBlocking(() => {
    if (++batches < 2) return;
    if (process.env.REPLAY_TEST_FAILURE === 'exit') process.exit(3);
    throw new Error('the replay failed');
  }, () => false);
} catch (err) {
  segments.abandon();
  parentPort.postMessage({ type: 'failed', error: { name: err.name, message: err.message } });
}
