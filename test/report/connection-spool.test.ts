/** The spool gives back exactly what it took: every view's JSON line in id order, whatever order the
 * connections retired in and however many runs went to the file, and any single view by id, whether it
 * keeps lines or records. */
import fs from 'node:fs';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { factsOf } from '../../src/detect/connection-facts';
import type { Paging } from '../../src/detect/facts-pages';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { reportCapture } from '../../src/pipeline';
import { ConnectionSpool, SpoolError, type SpoolFormat } from '../../src/report/connection-spool';
import { jsonReportChunks } from '../../src/report/json-writer';
import { connectionCoreOf, connectionRecord, connectionViewOf } from '../../src/tcp/connection-record';
import type { ConnectionJson } from '../../src/tcp/connection-view';
import { writePcap } from '../support/capture-writer';
import { incidentScripts } from '../support/incident-script';
import { analyzeScript, mergeScripts, TcpScript } from '../support/tcp-script';

let views: ConnectionJson[];
let records: Buffer[];
let bytes: number;

beforeAll(async () => {
  records = (await analyzeScript(...incidentScripts({ checks: 600 }))).connections.map((c) => Buffer.from(connectionRecord(c)));
  views = records.map(connectionViewOf);
  bytes = views.reduce((n, v) => n + JSON.stringify(v).length, 0);
  // Several runs of 256 KiB (the first run buffer is 64 KiB and doubles).
  expect(bytes).toBeGreaterThan(1 << 20);
});

/** Ids in a fixed shuffled order, as connections retire out of order. */
function retirementOrder(n: number): number[] {
  const ids = [...Array(n).keys()];
  let seed = 7;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids;
}

/** Facts in pages of 16 connections, 2 in memory: the rest go to the file. */
const SMALL_PAGES = { pageBits: 4, pagesInMemory: 2 };

function filled(runBytes?: number, readBytes?: number, folder?: string, factsPaging?: Paging, format: SpoolFormat = 'lines'): ConnectionSpool {
  const spool = new ConnectionSpool({ format, folder, runBytes, readBytes, factsPaging });
  for (const id of retirementOrder(views.length)) spool.add(views[id], format === 'records' ? records[id] : undefined);
  return spool;
}

/** Filled, and its runs in the file. */
async function spooled(runBytes?: number, readBytes?: number, folder?: string, factsPaging?: Paging, format?: SpoolFormat): Promise<ConnectionSpool> {
  const spool = filled(runBytes, readBytes, folder, factsPaging, format);
  await spool.settled();
  return spool;
}

/** The lines of the list, each piece copied as it comes: it is only valid until the next is asked for. A
 * JSON line holds no newline of its own. */
function linesOf(spool: ConnectionSpool): string[] {
  const pieces: Buffer[] = [];
  for (const piece of spool.jsonList()) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces).toString().split(',\n');
}

describe('ConnectionSpool', () => {
  const layouts = [
    ['one run, in memory', undefined, undefined, undefined],
    ['runs of 256 KiB on file, read ahead 256 KiB', 200 << 10, undefined, undefined],
    ['runs of 256 KiB on file, read ahead by 1 KiB (lines and records longer than that)', 200 << 10, 1024, undefined],
    ['one run in memory, facts in pages on file', undefined, undefined, SMALL_PAGES],
    ['runs of 256 KiB and facts in pages, on file', 200 << 10, undefined, SMALL_PAGES],
  ] as const;
  it.each((['lines', 'records'] as const).flatMap((format) => layouts.map((l) => [format, ...l] as const)))('%s, %s: lines in id order, views by id, facts of each', async (format, _, runBytes, readBytes, factsPaging) => {
    const spool = await spooled(runBytes, readBytes, undefined, factsPaging, format);
    try {
      const expected = views.map((v) => JSON.stringify(v));
      expect(spool.count).toBe(views.length);
      expect(linesOf(spool)).toEqual(expected);
      // A pass given up after its first piece, then a whole one: each pass starts afresh.
      const partial = spool.jsonList();
      partial.next();
      partial.return(undefined);
      expect(linesOf(spool)).toEqual(expected);
      for (const id of [0, 1, views.length >> 1, views.length - 1]) expect(spool.view(id)).toEqual(views[id]);
      expect(spool.view(views.length)).toBeUndefined();
      expect(spool.facts.map((f) => f.id)).toEqual(views.map((v) => v.id));
      expect(spool.facts.map((f) => [f.client, f.end, f.close?.frame])).toEqual(views.map((v) => [v.client, v.end, factsOf(v).close?.frame]));
    } finally {
      spool.close();
    }
  });

  it.each((['lines', 'records'] as const).flatMap((format) => layouts.map((l) => [format, ...l] as const)))('%s, %s: takes connections back and again, their first bytes and facts never read', async (format, _, runBytes, readBytes, factsPaging) => {
    const spool = new ConnectionSpool({ format, runBytes, readBytes, factsPaging });
    // Every seventh connection comes first as another's (that one's record, its view with its own id), taken back
    // at once, or after the rest of its run or a few runs (its bytes then in the file).
    const order = retirementOrder(views.length);
    const takenBack = new Map<number, number>();
    try {
      order.forEach((id, i) => {
        if (id % 7 === 0) {
          const other = views[(id + 1) % views.length];
          spool.add({ ...other, id }, format === 'records' ? records[(id + 1) % views.length] : undefined);
          takenBack.set(id, i + [0, 20, 500][id % 3]);
        }
        for (const [back, at] of takenBack) {
          if (at > i) continue;
          spool.forget(back);
          spool.add(views[back], format === 'records' ? records[back] : undefined);
          takenBack.delete(back);
        }
        if (id % 7 !== 0) spool.add(views[id], format === 'records' ? records[id] : undefined);
      });
      for (const back of takenBack.keys()) {
        spool.forget(back);
        spool.add(views[back], format === 'records' ? records[back] : undefined);
      }
      await spool.settled();
      expect(linesOf(spool)).toEqual(views.map((v) => JSON.stringify(v)));
      for (const id of [0, 7, 14]) expect(spool.view(id)).toEqual(views[id]);
      expect(spool.facts.map((f) => [f.id, f.client, f.end])).toEqual(views.map((v) => [v.id, v.client, v.end]));
      expect(() => spool.forget(views.length)).toThrow(/no facts to take back/);
    } finally {
      spool.close();
    }
  });

  it.each([
    ['one run, in memory', undefined],
    ['runs of 256 KiB on file', 200 << 10],
  ])('of lines retired in id order, %s: hands over the lines lying side by side at once', async (_, runBytes) => {
    const spool = new ConnectionSpool({ runBytes });
    try {
      for (const view of views) spool.add(view);
      await spool.settled();
      const pieces = [...spool.jsonList()].length;
      // A read-ahead buffer (256 KiB) or the run in memory at a time.
      expect(pieces).toBeLessThanOrEqual(Math.ceil(bytes / (200 << 10)) + 1);
      expect(linesOf(spool)).toEqual(views.map((v) => JSON.stringify(v)));
    } finally {
      spool.close();
    }
  });

  it('writes whole a run of more lines than one writev system call takes (IOV_MAX, 1,024), and the runs after', async () => {
    const spool = new ConnectionSpool({ runBytes: 4 << 20 });
    const many = Array.from({ length: 8_000 }, (_, id) => ({ ...views[id % views.length], id }));
    try {
      for (const id of retirementOrder(many.length)) spool.add(many[id]);
      await spool.settled();
      expect(linesOf(spool)).toEqual(many.map((v) => JSON.stringify(v)));
    } finally {
      spool.close();
    }
  });

  it('of records, writes whole a line longer than the first buffer of its line writer (16 KiB), and the next', async () => {
    const retrying = new TcpScript({ client: '10.0.0.9:40001' }).syn();
    for (let i = 0; i < 400; i++) retrying.after(0.1).synRetransmit();
    const kept = (await analyzeScript(retrying, new TcpScript().syn().synAck().after(0.1).ack('client'))).connections.map((c) => Buffer.from(connectionRecord(c)));
    const spool = new ConnectionSpool({ format: 'records' });
    try {
      kept.forEach((record) => spool.add(connectionViewOf(record), record));
      const expected = kept.map((record) => JSON.stringify(connectionViewOf(record)));
      expect(expected[0].length).toBeGreaterThan(16 << 10);
      expect(linesOf(spool)).toEqual(expected);
    } finally {
      spool.close();
    }
  });

  it('of records, refuses a connection without its record', () => {
    const spool = new ConnectionSpool({ format: 'records' });
    expect(() => spool.add(views[0])).toThrow(/#0 came to a spool of records without its record/);
    spool.close();
  });

  it('of lines, writes the line of a view without its filter as of the view with it', () => {
    const spool = new ConnectionSpool();
    spool.add(connectionCoreOf(records[0]));
    spool.add(connectionCoreOf(records[1]), Buffer.from(JSON.stringify(views[1])));
    expect(spool.view(0)).toEqual(views[0]);
    expect(spool.view(1)).toEqual(views[1]);
    expect(linesOf(spool)).toEqual([views[0], views[1]].map((v) => JSON.stringify(v)));
    spool.close();
  });

  it('refuses a connection twice, and says which connection never came', () => {
    const spool = new ConnectionSpool();
    spool.add(views[0]);
    expect(() => spool.add(views[0])).toThrow(/#0 has facts already/);
    spool.add(views[2]);
    expect(() => linesOf(spool)).toThrow(/connection #1 was never spooled/);
    spool.close();
  });

  it('is unreadable once closed, and closing twice is harmless', async () => {
    const spool = await spooled(200 << 10);
    spool.close();
    spool.close();
    expect(() => spool.view(0)).toThrow(/closed/);
    expect(() => linesOf(spool)).toThrow(/closed/);
    expect(() => spool.add(views[0])).toThrow(/closed/);
  });

  it('a temporary folder that cannot be written is a SpoolError naming it', () => {
    const folder = join(tmpdir(), 'tcpteardown-no-such-folder');
    let error: unknown;
    try {
      filled(1, undefined, folder);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SpoolError);
    expect((error as SpoolError).folder).toBe(folder);
    expect((error as SpoolError).message).toMatch(/^cannot write the temporary file .*TMPDIR.*ENOENT/);
  });

  it('leaves nothing in its folder, even while open', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tcpteardown-spool-test-'));
    const spool = await spooled(200 << 10, undefined, folder);
    expect(readdirSync(folder)).toEqual([]);
    expect(linesOf(spool).length).toBe(views.length);
    spool.close();
  });
});

describe('runs written in the background', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reads no line back before the run being written is in the file, nor closes the file under it', async () => {
    const spool = filled(200 << 10);
    expect(() => linesOf(spool)).toThrow(/before the spool settled/);
    // The lines of the run still in memory are there at once.
    expect(spool.view(retirementOrder(views.length).at(-1) ?? -1)).toBeDefined();
    const closing = filled(200 << 10);
    closing.close();
    await closing.settled().catch(() => undefined);
    await spool.settled();
    expect(linesOf(spool)).toEqual(views.map((v) => JSON.stringify(v)));
    spool.close();
  });

  it('closed during a background write, it closes the file once the write is done, and a failing close is no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (err: unknown): void => { rejections.push(err); };
    process.on('unhandledRejection', onRejection);
    try {
      const spool = filled(200 << 10);
      const closeSync = jest.spyOn(fs, 'closeSync').mockImplementation(() => {
        throw new Error('EIO: i/o error, close');
      });
      spool.close();
      expect(closeSync).not.toHaveBeenCalled();
      for (let waited = 0; closeSync.mock.calls.length === 0 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      expect(closeSync).toHaveBeenCalledTimes(1);
      await new Promise((r) => setTimeout(r, 50));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('a background write that fails is a SpoolError from settled(), and from the next call', async () => {
    jest.spyOn(fs, 'writev').mockImplementation(((_fd: number, _buffers: unknown, _position: unknown, done: (err: Error | null, n: number) => void) => {
      done(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 0);
    }) as unknown as typeof fs.writev);
    const spool = filled(200 << 10);
    await expect(spool.settled()).rejects.toThrow(SpoolError);
    await expect(spool.settled()).rejects.toThrow(/cannot write the temporary file .*ENOSPC/);
    expect(() => spool.add(views[0])).toThrow(SpoolError);
    spool.close();
  });
});

describe('the spool as a store of texts (findings)', () => {
  it('gives back each text by handle, from memory and, past 1 MiB, from the file, whatever the order asked', () => {
    const spool = new ConnectionSpool();
    try {
      // Some 3 MiB of texts of different lengths, with characters of 2 and 3 bytes in UTF-8, and one longer
      // than the blocks texts are read back in.
      const texts = [...Array(4000).keys()].map((i) => `#${i} ${'é€x'.repeat(i === 100 ? 20_000 : i % 300)}`);
      const handles = texts.map((t) => spool.put(t));
      expect(handles).toEqual([...texts.keys()]);
      for (const i of retirementOrder(texts.length)) expect(spool.get(handles[i])).toBe(texts[i]);
      expect(() => spool.get(texts.length)).toThrow(/no text #4000/);
      // Grouped texts, interleaved as incidents' findings are, come back the same, past 1 MiB too (groups
      // below zero too: findings' measures are grouped apart that way).
      const grouped = [...Array(6000).keys()].map((i) => `group ${(i % 7) - 3} #${i} ${'g€'.repeat(i % 500)}`);
      const groupedHandles = grouped.map((t, i) => spool.put(t, (i % 7) - 3));
      for (const i of retirementOrder(grouped.length)) expect(spool.get(groupedHandles[i])).toBe(grouped[i]);
      for (const i of retirementOrder(texts.length)) expect(spool.get(handles[i])).toBe(texts[i]);
      // Texts and connections share the file: views spooled after the texts read back too.
      for (const id of retirementOrder(views.length)) spool.add(views[id]);
      expect(linesOf(spool)).toEqual(views.map((v) => JSON.stringify(v)));
      expect(spool.get(handles[1234])).toBe(texts[1234]);
    } finally {
      spool.close();
    }
    expect(() => spool.get(0)).toThrow(/closed/);
  });
});

describe('a report whose connections went through the temporary file', () => {
  it('is the same JSON, byte for byte, as one whose views stayed in memory', async () => {
    const capture = writePcap(mergeScripts(...incidentScripts({ checks: 600 })));
    const options = { file: 'incident.pcap', sizeBytes: capture.length, detect: { thresholds: DEFAULT_THRESHOLDS } };
    const json = async (spool?: ConnectionSpool): Promise<Buffer> => {
      const report = await reportCapture(Readable.from([capture]), { ...options, spool });
      try {
        return Buffer.concat([...jsonReportChunks(report)].map((c) => Buffer.from(c)));
      } finally {
        report.connections.close();
      }
    };
    const inMemory = await json();
    const onFile = await json(new ConnectionSpool({ runBytes: 64 << 10, readBytes: 4096, factsPaging: SMALL_PAGES }));
    const recordsOnFile = await json(new ConnectionSpool({ format: 'records', runBytes: 64 << 10, readBytes: 4096, factsPaging: SMALL_PAGES }));
    expect(inMemory.length).toBeGreaterThan(1 << 20);
    expect(onFile.equals(inMemory)).toBe(true);
    expect(recordsOnFile.equals(inMemory)).toBe(true);
  });
});
