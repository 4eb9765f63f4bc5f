/** The facts table gives back, column by column, exactly the facts each view had: every lab capture and
 * every corpus capture, read through the table. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/analyze';
import { FactsTable, factsOf, type ConnectionFacts } from '../../src/detect/connection-facts';
import type { PageStore } from '../../src/detect/facts-pages';
import { connectionJson } from '../../src/tcp/connection-record';
import type { ConnectionJson } from '../../src/tcp/connection-view';

const CAPTURES = join(__dirname, '..', '..', 'captures');
const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus', 'captures');
const files = [
  ...readdirSync(CAPTURES).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(CAPTURES, f)),
  ...readdirSync(CORPUS).map((f) => join(CORPUS, f)),
];

async function viewsOf(file: string): Promise<ConnectionJson[]> {
  const views: ConnectionJson[] = [];
  await analyzeCapture(file, { onRetire: (c) => { views[c.id] = connectionJson(c); } });
  return views;
}

/** The facts as plain data, whatever holds them (getters included); NaN, Infinity and undefined kept as
 * they are, so that an encoding mistake shows. */
function plain(f: ConnectionFacts): Record<string, unknown> {
  return Object.fromEntries(FACT_KEYS.map((k) => [k, f[k]]));
}

const FACT_KEYS: (keyof ConnectionFacts)[] = [
  'id', 'client', 'server', 'start', 'end', 'partial', 'ending', 'connState', 'history', 'handshakeAt', 'acceptWait', 'close',
  'serviceEnds', 'halfClose', 'finDelayS', 'attempt', 'synRetransmitOffsets', 'synFrames', 'clientSynFrame', 'serverSynAck', 'serverRst',
];

/** A page store in memory that counts its writes and reads. */
function memoryStore(): { store: PageStore; count: { writes: number; reads: number } } {
  const pages = new Map<number, Uint8Array>();
  const count = { writes: 0, reads: 0 };
  const store: PageStore = {
    writePage: (bytes, offset) => {
      count.writes++;
      const at = offset ?? pages.size;
      pages.set(at, bytes.slice());
      return at;
    },
    readPage: (into, offset) => {
      count.reads++;
      into.set(pages.get(offset) ?? new Uint8Array(0));
    },
  };
  return { store, count };
}

describe('FactsTable', () => {
  it('names every field of ConnectionFacts in the test', async () => {
    const [view] = await viewsOf(join(CAPTURES, 'keepalive-starvation.pcap'));
    expect(Object.keys(factsOf(view)).sort()).toEqual([...FACT_KEYS].sort());
  });

  it.each(files)('%s: each connection reads back as its view\'s facts', async (file) => {
    const views = await viewsOf(file);
    const table = new FactsTable();
    // In retirement order, not id order.
    for (const view of [...views].reverse()) table.add(factsOf(view));
    expect(table.length).toBe(views.length);
    expect(table.all().map((f) => f.id)).toEqual(views.map((v) => v.id));
    for (const view of views) expect(plain(table.at(view.id))).toStrictEqual(plain(factsOf(view)));
  });

  it('reads back the same through pages put away and brought back, whatever the order', async () => {
    const facts = (await Promise.all(files.map(viewsOf))).flat().map(factsOf);
    const { store, count } = memoryStore();
    // Pages of 8 ids, 2 in memory; ids with gaps, so that pages hold one to four connections, some none.
    const table = new FactsTable(store, { pageBits: 3, pagesInMemory: 2 });
    const spread = facts.map((f, i) => ({ ...f, id: i * 2 + Math.floor(i / 4) * 13 }));
    for (const f of [...spread].reverse()) table.add(f);
    expect(count.writes).toBeGreaterThan(spread.length / 8);
    expect(table.all().map((f) => f.id)).toEqual(spread.map((f) => f.id));
    for (const f of spread) expect(plain(table.at(f.id))).toStrictEqual(plain(f));
    expect(count.reads).toBeGreaterThan(0);
    expect(table.has(spread[spread.length - 1].id + 1)).toBe(false);
  });

  it('keeps every page in memory once told to, when they all fit in the bytes given', async () => {
    const facts = (await Promise.all(files.map(viewsOf))).flat().map((view, id) => factsOf({ ...view, id }));
    const walks = (budget: number | null): number => {
      const { store, count } = memoryStore();
      const table = new FactsTable(store, { pageBits: 3, pagesInMemory: 2 });
      for (const f of facts) table.add(f);
      if (budget !== null) table.keepAllWithin(budget);
      const before = count.reads;
      // Three walks over every id, as the report's detectors make.
      let wrong = 0;
      for (let walk = 0; walk < 3; walk++) for (const f of facts) if (table.at(f.id).history !== f.history) wrong++;
      expect(wrong).toBe(0);
      return count.reads - before;
    };
    const pageCount = Math.ceil(facts.length / 8);
    expect(pageCount).toBeGreaterThan(4);
    // A page of 8 ids is 8 × 159 bytes of columns.
    expect(walks(null)).toBeGreaterThanOrEqual(3 * (pageCount - 2));
    expect(walks(pageCount * 8 * 159 - 1)).toBeGreaterThanOrEqual(3 * (pageCount - 2));
    // Each page put away is read back once, on the first walk.
    expect(walks(pageCount * 8 * 159)).toBe(pageCount - 2);
  });

  it('refuses an id twice, and has nothing for an id never added', async () => {
    const [view] = await viewsOf(join(CAPTURES, 'keepalive-starvation.pcap'));
    const table = new FactsTable();
    table.add(factsOf({ ...view, id: 3 }));
    expect(() => table.add(factsOf({ ...view, id: 3 }))).toThrow(/#3 has facts already/);
    expect(table.length).toBe(4);
    expect([0, 1, 2, 3].map((id) => table.has(id))).toEqual([false, false, false, true]);
    expect(() => table.at(1)).toThrow(/no facts of connection #1/);
    expect(table.all().map((f) => f.id)).toEqual([3]);
    // A page further on (65,536 connections to a page), with the pages between left empty.
    table.add(factsOf({ ...view, id: 200_000 }));
    expect(table.length).toBe(200_001);
    expect([3, 65_536, 199_999, 200_000].map((id) => table.has(id))).toEqual([true, false, false, true]);
    expect(plain(table.at(200_000))).toStrictEqual(plain(factsOf({ ...view, id: 200_000 })));
  });

  it('covers what most connections lack: attempts, resets, several ends of service', async () => {
    const all = (await Promise.all(files.map(viewsOf))).flat().map(factsOf);
    expect(all.some((f) => f.attempt === 'unanswered')).toBe(true);
    expect(all.some((f) => f.synFrames.length > 1)).toBe(true);
    // An attempt with one SYN, whose frames the table does not keep apart from clientSynFrame.
    expect(all.some((f) => f.attempt !== null && f.synFrames.length === 1 && f.synFrames[0] === f.clientSynFrame)).toBe(true);
    expect(all.some((f) => f.serviceEnds.length > 1)).toBe(true);
    expect(all.some((f) => f.halfClose !== null && f.halfClose.endAt === null)).toBe(true);
    expect(all.some((f) => f.acceptWait !== null && f.acceptWait.release === undefined)).toBe(true);
    expect(all.some((f) => f.close?.by === 'server')).toBe(true);
    expect(all.some((f) => f.partial)).toBe(true);
  });

  it('gives back clients that do not end in a port as they were', async () => {
    const [view] = await viewsOf(join(CAPTURES, 'keepalive-starvation.pcap'));
    const clients = ['10.0.0.1:80', '[2001:db8::1]:65535', '10.0.0.1:0', '10.0.0.1:-1', '10.0.0.1:1.5', '10.0.0.1:080', '10.0.0.1:70000', 'no port', ':1'];
    const table = new FactsTable();
    clients.forEach((client, id) => table.add({ ...factsOf(view), id, client }));
    expect(clients.map((_, id) => table.at(id).client)).toEqual(clients);
  });

  it('keeps frame numbers past 2^32 (a merged set of rotated captures) exactly', async () => {
    const all = (await Promise.all(files.map(viewsOf))).flat().map(factsOf);
    const far = 2 ** 32;
    const f = all.find((c) => c.close !== null && c.acceptWait !== null && c.clientSynFrame !== null);
    if (!f?.close || !f.acceptWait || f.clientSynFrame === null) throw new Error('no connection with a close, an accept wait and a SYN');
    const moved: ConnectionFacts = {
      ...f,
      close: { ...f.close, frame: f.close.frame + far },
      acceptWait: { ...f.acceptWait, request: { ...f.acceptWait.request, frame: f.acceptWait.request.frame + far } },
      clientSynFrame: f.clientSynFrame + far,
    };
    const table = new FactsTable();
    table.add(moved);
    expect(plain(table.at(moved.id))).toStrictEqual(plain(moved));
  });
});
