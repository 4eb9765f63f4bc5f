/** The replay on a thread of its own gives the report the replay on the main thread gives, byte for
 * byte, for every lab and corpus capture, from a file or a stream, and fails the same way. It runs the
 * built code (the worker thread loads dist/replay/replay-worker.js), with rings of 1 KiB: segments go
 * over in batches of two or three, most views are split into several records, and each thread waits for
 * the other all the time. */
import { createReadStream, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import type * as Pipeline from '../../src/pipeline';
import type * as JsonWriter from '../../src/report/json-writer';
import type * as ReplayThread from '../../src/replay/replay-thread';
import type * as Record from '../../src/capture/record';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import type { ConnectionJson } from '../../src/tcp/connection-view';
import { writePcap } from '../support/capture-writer';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures } from '../support/corpus';
import { mergeScripts, TcpScript } from '../support/tcp-script';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const CLI = join(DIST, 'cli', 'main.js');
/* eslint-disable @typescript-eslint/no-require-imports */
const { reportCapture } = require(join(DIST, 'pipeline.js')) as typeof Pipeline;
const { writeJsonReport } = require(join(DIST, 'report', 'json-writer.js')) as typeof JsonWriter;
const { replayOnThread } = require(join(DIST, 'replay', 'replay-thread.js')) as typeof ReplayThread;
const { CaptureError } = require(join(DIST, 'capture', 'record.js')) as typeof Record;

const CAPTURES = join(ROOT, 'captures');
const RING_BYTES = 1024;

async function reportText(
  file: string, replayThread: boolean, ringBytes = RING_BYTES, options: Partial<Pipeline.ReportCaptureOptions> = {},
): Promise<string> {
  const input = options.file === '-' ? createReadStream(file) : file;
  const report = await reportCapture(input, {
    file: 'capture', sizeBytes: 0, detect: { thresholds: DEFAULT_THRESHOLDS }, replayThread, ringBytes, segmentRingBytes: RING_BYTES, ...options,
  });
  const chunks: Buffer[] = [];
  try {
    await writeJsonReport(report, new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } }));
  } finally {
    report.connections.close();
  }
  return Buffer.concat(chunks).toString('utf8');
}

function outcome(file: string, replayThread: boolean, writesJson = true): Promise<string> {
  return reportText(file, replayThread, RING_BYTES, { writesJson }).catch((err: Error) => `${err.name}: ${err.message} ${(err as Record.CaptureError).code ?? ''}`);
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'replay-thread-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('replay on a thread of its own', () => {
  const files = [
    ...readdirSync(CAPTURES).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f)).map((f) => join(CAPTURES, f)),
    ...(corpusAvailable() ? corpusCaptures().map((f) => join(CORPUS_CAPTURES, f)) : []),
  ];

  it('gives every lab and corpus capture the same JSON report, or the same error, keeping lines or records', async () => {
    let reports = 0;
    for (const file of files) {
      const here = await outcome(file, false);
      expect({ file, text: await outcome(file, true) }).toEqual({ file, text: here });
      // Records: the lines are made as the report is written, and the views asked for by id from records.
      expect({ file, text: await outcome(file, false, false) }).toEqual({ file, text: here });
      expect({ file, text: await outcome(file, true, false) }).toEqual({ file, text: here });
      if (here.startsWith('{')) reports++;
    }
    expect(reports).toBeGreaterThan(corpusAvailable() ? 80 : 10);
  }, 240_000);

  it('reads a stream on the main thread and replays it on the other', async () => {
    for (const name of ['keepalive-starvation.pcap', 'formats.pcapng.gz']) {
      const file = join(CAPTURES, name);
      expect(await reportText(file, true, RING_BYTES, { file: '-' })).toBe(await reportText(file, false, RING_BYTES, { file: '-' }));
    }
  });

  it('counts the packets over the connection budget as the main thread does, among the other skipped', async () => {
    const records = mergeScripts(...Array.from({ length: 40 }, (_, i) => new TcpScript({ client: `10.0.3.${i}:5000` }).handshake().fin('client').fin('server').ack('client')));
    const udp = (at: number) => {
      const data = Buffer.from(records[at].data);
      data[23] = 17;
      return { ...records[at], data };
    };
    const file = join(dir, 'budget.pcap');
    writeFileSync(file, writePcap([udp(0), ...records.slice(0, 100), udp(100), ...records.slice(100)]));
    const here = await reportText(file, false, RING_BYTES, { maxConnections: 12 });
    expect(JSON.parse(here).input.skipped).toEqual({ 'not-tcp': 2, 'connection-budget': 28 * 6 });
    expect(await reportText(file, true, RING_BYTES, { maxConnections: 12 })).toBe(here);
  });

  it('hands over views and lines larger than their first buffers (16 KiB) and than the ring', async () => {
    // 400 zero-window stalls: 800 events, a view of about 70 KB and a line of about 80 KB.
    const stalls = new TcpScript({ client: '10.0.0.1:40000' }).handshake();
    for (let i = 0; i < 400; i++) stalls.window('server', 0).after(0.01).window('server', 65535).data('client', 10);
    stalls.fin('client').fin('server').ack('client');
    const small = Array.from({ length: 50 }, (_, i) => new TcpScript({ client: `10.0.0.2:${41000 + i}` }).handshake().fin('client').fin('server').ack('client'));
    const file = join(dir, 'stalls.pcap');
    writeFileSync(file, writePcap(mergeScripts(stalls, ...small)));
    const here = await reportText(file, false);
    expect(here.length).toBeGreaterThan(80_000);
    for (const ringBytes of [1024, 64 << 10, 8 << 20]) expect(await reportText(file, true, ringBytes)).toBe(here);
    // Every line made on the replay thread, then none. No view handed over has its filter (the line's
    // writer makes it from the endpoints and frames); a line made there is the view with its filter.
    for (const behindFill of [0, 2]) {
      let views = 0;
      let lines = 0;
      await replayOnThread(file, { ringBytes: 1024, behindFill }, (view, line) => {
        views++;
        expect((view as Partial<ConnectionJson>).filter).toBeUndefined();
        if (line === undefined) return;
        lines++;
        const { filter, ...rest } = JSON.parse(line.toString()) as ConnectionJson;
        expect(rest).toEqual(view);
        expect(filter).toMatch(/^ip\.addr==.* && frame\.number<=\d+$/);
      });
      expect([views, lines]).toEqual([51, behindFill === 0 ? 51 : 0]);
    }
  });

  it('gives the same report with every connection\'s findings made on the replay thread, or none', async () => {
    const lab = files.filter((f) => f.startsWith(CAPTURES) && !f.includes('formats'));
    const detect = { thresholds: DEFAULT_THRESHOLDS };
    let foundThere = 0;
    for (const file of lab) {
      const here = await outcome(file, false);
      for (const behindFill of [0, 2]) {
        for (const writesJson of [true, false]) {
          const text = await reportText(file, true, RING_BYTES, { behindFill, writesJson });
          expect({ file, behindFill, writesJson, text }).toEqual({ file, behindFill, writesJson, text: here });
        }
        // Each connection is taken after its findings came over (behind), or with none come over.
        let views = 0;
        let detected = 0;
        let found = 0;
        await replayOnThread(file, { ringBytes: RING_BYTES, behindFill, records: true, retirement: { detect, found: () => { found++; } } }, (_view, record, there) => {
          views++;
          expect(record).toBeDefined();
          if (!there) return;
          detected++;
          expect(found).toBe(detected);
        });
        expect([detected, found]).toEqual([behindFill === 0 ? views : 0, behindFill === 0 ? views : 0]);
        if (behindFill === 0) foundThere += views;
      }
    }
    // The lab captures' connections (44 of them).
    expect(foundThere).toBeGreaterThan(30);
  }, 60_000);

  it('takes a connection when it closes, and again when a packet reaches it after: the same report', async () => {
    // Closed, then a FIN retransmitted 5 s later; reset, then reset again 3 s later (a finding each
    // time); closed and left alone; closed, then an ACK 200 s later (the capture's clock has not moved on
    // the 120 s it is held for: two packets in a row must agree on the time); opened at 300 s, when the
    // first three retire.
    const retransmitted = new TcpScript({ client: '10.0.4.1:5001' }).handshake().data('client', 100).fin('client').fin('server').ack('client')
      .after(5).finRetransmit('server');
    const reset = new TcpScript({ client: '10.0.4.2:5002' }).handshake().data('client', 100).after(1).rst('server').after(3).rst('server');
    const quiet = new TcpScript({ client: '10.0.4.3:5003' }).handshake().data('client', 100).fin('client').fin('server').ack('client');
    const late = new TcpScript({ client: '10.0.4.4:5004' }).handshake().fin('client').fin('server').ack('client').after(200).ack('server');
    const opened = new TcpScript({ client: '10.0.4.5:5005' }).at(300).handshake();
    const file = join(dir, 'after-close.pcap');
    writeFileSync(file, writePcap(mergeScripts(retransmitted, reset, quiet, late, opened)));
    for (const writesJson of [true, false]) {
      const here = await reportText(file, false, RING_BYTES, { writesJson });
      expect(JSON.parse(here).connections).toHaveLength(5);
      // Handed over bare, or (always behind) with the findings and line made on the replay thread.
      for (const ringBytes of [RING_BYTES, 8 << 20]) {
        for (const behindFill of [0, 2]) expect(await reportText(file, true, ringBytes, { writesJson, behindFill })).toBe(here);
      }
    }
    // Each connection went over when it closed; the two a packet reached after came again.
    const taken: number[] = [];
    const retracted: number[] = [];
    await replayOnThread(file, { ringBytes: 8 << 20, behindFill: 2, retract: (id) => { retracted.push(id); } }, (view) => { taken.push(view.id); });
    expect(retracted.sort()).toEqual([0, 1, 3]);
    expect(taken.sort()).toEqual([0, 0, 1, 1, 2, 3, 3, 4]);
  });

  it('rejects a file that is no capture with the CaptureError the main thread gives', async () => {
    const text = join(dir, 'notes.pcap');
    writeFileSync(text, 'hello world, not a capture');
    const err = await replayOnThread(text, {}, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect(err).toMatchObject({ code: 'not-a-capture', offset: 0, message: 'not a capture file: starts with bytes 68 65 6c 6c (expected pcap, pcapng or gzip)' });
  });

  it('stops the replay thread when the main thread fails, and passes that error on', async () => {
    const boom = new Error('the main thread failed');
    let views = 0;
    const started = Date.now();
    const err = await replayOnThread(join(CAPTURES, 'keepalive-starvation.pcap'), { ringBytes: 64 }, () => {
      if (++views === 3) throw boom;
    }).catch((e: unknown) => e);
    expect(err).toBe(boom);
    expect(views).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    ['fails with an error of its own', 'failing-worker.js', 'the replay failed'],
    ['stops without a word', 'exiting-worker.js', 'the replay thread stopped (exit code 3) before it was done'],
  ])('rejects at once when the replay thread %s while the main thread waits for room', async (_how, script, message) => {
    // Rings of 1 KiB: three segments a batch, and the segment ring full after a few.
    const workerScript = join(__dirname, 'support', script);
    const file = join(CAPTURES, 'keepalive-starvation.pcap');
    for (const input of [() => file, () => createReadStream(file)]) {
      const started = Date.now();
      const err = await replayOnThread(input(), { ringBytes: 1024, segmentRingBytes: 1024, workerScript }, () => {}).catch((e: unknown) => e);
      expect(err).toMatchObject({ message });
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('calls `take` no more once it has thrown', async () => {
    // 2,000 connections over 600 s: they retire while the capture is read, and `take` is called both
    // while the main thread waits for room in the segment ring and while it waits for connections.
    const scripts = Array.from({ length: 2000 }, (_, i) => new TcpScript({ client: `10.0.${i >> 8}.${i & 255}:5000`, start: 1_700_000_000 + i * 0.3 })
      .handshake().data('client', 100).fin('client').fin('server').ack('client'));
    const file = join(dir, 'spread.pcap');
    writeFileSync(file, writePcap(mergeScripts(...scripts)));
    for (const at of [1, 100, 400, 1000]) {
      let calls = 0;
      const err = await replayOnThread(file, { ringBytes: 1024, segmentRingBytes: 1024 }, () => {
        if (++calls === at) throw new Error(`take failed at ${at}`);
      }).catch((e: unknown) => e);
      expect([calls, (err as Error).message]).toEqual([at, `take failed at ${at}`]);
    }
  });

  it('--threads 2 prints what --threads 1 prints, and so does the default (see threads.test.ts)', () => {
    const file = join(CAPTURES, 'keepalive-starvation.pcap');
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'analyze', file, '--no-progress', ...args], { encoding: 'utf8' });
    const one = run('--threads', '1');
    expect(one.status).toBe(0);
    expect(run('--threads', '2').stdout).toBe(one.stdout);
    expect(run().stdout).toBe(one.stdout);
    const bad = run('--threads', '3');
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('threads');
  });
});
