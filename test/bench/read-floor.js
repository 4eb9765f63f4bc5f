// The floor: only read the capture's records (pcap or pcapng reader, gunzip), nothing else.
const { readCapture } = require('../../dist/capture/read-capture.js');

readCapture(process.argv[2], { record() {}, issue() {} }).then(
  (r) => process.stdout.write(`${r.records}\n`),
  (err) => { process.stderr.write(`${err.message}\n`); process.exitCode = 1; },
);
