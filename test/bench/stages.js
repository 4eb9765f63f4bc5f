// Where the time goes: the pipeline run on one capture, on one thread, in passes that each add one stage,
// so each stage's cost is the difference from the pass before: read; + decode; + flow lookup; + the TCP
// and Zeek replay (connections retired, nothing kept); + each connection's record; + its view; + the
// detectors that look at one connection, its facts and the temporary file (a spool of records, as
// without --json; the pipeline's stage also waits for the file's last write and collects garbage once
// after a large capture); + its JSON line (a spool of lines, as with --json). Then the other detectors
// and the report, and the JSON text. Prints one JSON line. Uses the built code.
const { createWriteStream } = require('node:fs');
const { readCapture } = require('../../dist/capture/read-capture.js');
const { decodeRecord } = require('../../dist/decode/decode-packet.js');
const { newTcpPacket } = require('../../dist/decode/tcp-packet.js');
const { FlowTable } = require('../../dist/flow/flow-table.js');
const { readIntoViews } = require('../../dist/pipeline.js');
const { analyzeCapture } = require('../../dist/analyze.js');
const { collectingEvery } = require('../../dist/collect-garbage.js');
const { connectionRecord, connectionViewOf } = require('../../dist/tcp/connection-record.js');
const { buildReport } = require('../../dist/report/build-report.js');
const { writeJsonReport } = require('../../dist/report/json-writer.js');
const { DEFAULT_THRESHOLDS } = require('../../dist/detect/thresholds.js');

const file = process.argv[2];
// The case's own --max-connections (case (c) holds more than the default), as the CLI run gets it.
const maxAt = process.argv.indexOf('--max-connections');
const maxConnections = maxAt > 0 ? Number(process.argv[maxAt + 1]) : undefined;
const now = () => Number(process.hrtime.bigint()) / 1e9;

/** The best of two runs: the first also warms up the JIT. */
async function pass(upto) {
  return Math.min(await timedPass(upto), await timedPass(upto));
}

/** Reads the capture, going as far as `upto` with each packet. */
async function timedPass(upto) {
  const pkt = newTcpPacket();
  const table = new FlowTable(() => ({}), Infinity);
  const started = now();
  await readCapture(file, {
    issue() {},
    record(r) {
      if (upto === 'read' || decodeRecord(r.linkType, r.bytes, r.start, r.caplen, r.origLen, pkt) !== null || upto === 'decode') return;
      table.lookup(pkt, r.ts, r.frame);
    },
  });
  return now() - started;
}

/** Reads and replays the capture, doing `retire` with each connection as it retires; the best of two. */
async function replayPass(retire) {
  const timed = async () => {
    const started = now();
    await analyzeCapture(file, { maxConnections, onRetire: collectingEvery(retire) });
    return now() - started;
  };
  return Math.min(await timed(), await timed());
}

async function main() {
  const read = await pass('read');
  const decode = await pass('decode');
  const flow = await pass('flow');
  const replay = await replayPass(() => {});
  const records = await replayPass((c) => { connectionRecord(c); });
  const views = await replayPass((c) => { connectionViewOf(connectionRecord(c)); });
  const detectOptions = { thresholds: DEFAULT_THRESHOLDS };
  /** The pipeline's whole first stage (with its wait for the temporary file and its full collection after
   * a large capture, which the passes above do not have), the best of two; the second run's result is
   * kept for the report, and no run carries an earlier one's in memory. */
  const spoolPass = async (writesJson) => {
    let best = Infinity;
    let kept = null;
    for (let run = 0; run < 2; run++) {
      kept?.connections.close();
      kept = null;
      const started = now();
      kept = await readIntoViews(file, { file, sizeBytes: 0, detect: detectOptions, maxConnections, writesJson });
      best = Math.min(best, now() - started);
    }
    return { seconds: best, kept };
  };
  const spooled = await spoolPass(false);
  spooled.kept.connections.close();
  const spooledSeconds = spooled.seconds;
  spooled.kept = null;
  const lines = await spoolPass(true);
  const { analysis, connections, retired } = lines.kept;
  const rssAfterReplay = process.memoryUsage().rss;
  let started = now();
  const report = buildReport(analysis, { file, sizeBytes: 0 }, detectOptions, connections, retired);
  const detect = now() - started;
  started = now();
  await writeJsonReport(report, createWriteStream('/dev/null'));
  const json = now() - started;
  // Differences below zero are noise between passes.
  const r = (x) => Math.max(0, Math.round(x * 1000) / 1000);
  process.stdout.write(`${JSON.stringify({
    packets: analysis.packets, connections: connections.count,
    read_s: r(read), decode_s: r(decode - read), flow_lookup_s: r(flow - decode), tcp_replay_s: r(replay - flow), records_s: r(records - replay),
    views_s: r(views - records), connection_detectors_facts_spool_s: r(spooledSeconds - views), json_lines_s: r(lines.seconds - spooledSeconds),
    detect_and_report_s: r(detect), json_text_s: r(json),
    // MiB, as the bench's table gives RSS; the peak is the whole process's, every pass included.
    rss_after_replay_mb: Math.round(rssAfterReplay / 2 ** 20), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`);
}

main().catch((err) => { process.stderr.write(`${err.message}\n`); process.exitCode = 1; });
