// failing-worker.js, stopping at once and without a word.
process.env.REPLAY_TEST_FAILURE = 'exit';
require('./failing-worker.js');
