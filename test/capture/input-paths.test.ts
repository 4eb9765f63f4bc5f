import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { collect, randomChunks, splitAt, streamOf } from './collect';
import { readCapture } from '../../src/capture/read-capture';
import { gzip, writePcap, writePcapng } from '../support/capture-writer';

const PCAP = writePcap([{ ts: 1, data: Buffer.from('one') }, { ts: 2, data: Buffer.from('two') }]);
const PCAPNG = writePcapng({ blocks: [{ ts: 1, data: Buffer.from('one') }, { ts: 2, data: Buffer.from('two') }] });
const NO_SINK = { record: () => {}, issue: () => {} };

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'capture-test-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('sniffing', () => {
  it.each([
    ['text', Buffer.from('hello world'), '68 65 6c 6c'],
    ['two bytes', Buffer.from('ab'), '61 62'],
    ['a pcap magic read the wrong way round', Buffer.from('b2a1d4c3', 'hex'), 'b2 a1 d4 c3'],
  ])('rejects %s as not-a-capture, naming the first bytes', async (_name, bytes, hex) => {
    await expect(readCapture(streamOf([bytes]), NO_SINK)).rejects.toMatchObject({
      name: 'CaptureError', code: 'not-a-capture', offset: 0,
      message: `not a capture file: starts with bytes ${hex} (expected pcap, pcapng or gzip)`,
    });
  });

  it('decides by content, not by file name', async () => {
    const { result } = await collect(file('looks-like.pcap', gzip(PCAPNG)));
    expect(result.info).toMatchObject({ format: 'pcapng', gzip: true });
    expect((await collect(file('plain.pcap.gz', PCAP))).result.info).toMatchObject({ format: 'pcap', gzip: false });
  });

  it('rejects gzip data that holds no capture', async () => {
    await expect(readCapture(streamOf([gzipSync('hello world')]), NO_SINK)).rejects.toMatchObject({
      code: 'not-a-capture', message: 'not a capture file: gzip data whose content starts with bytes 68 65 6c 6c (expected pcap, pcapng or gzip)',
    });
  });

  it('sniffs across tiny first chunks', async () => {
    for (const input of [PCAP, PCAPNG, gzip(PCAP)]) {
      const { records } = await collect(streamOf(splitAt(input, 1, 2, 3, 5)));
      expect(records.map((r) => r.data.toString())).toEqual(['one', 'two']);
    }
  });
});

describe('empty and unreadable input', () => {
  it('rejects an empty file, an empty stream and empty gzip data with code empty', async () => {
    await expect(readCapture(file('empty', Buffer.alloc(0)), NO_SINK)).rejects.toMatchObject({ code: 'empty', message: 'empty input' });
    await expect(readCapture(streamOf([]), NO_SINK)).rejects.toMatchObject({ code: 'empty' });
    await expect(readCapture(streamOf([gzipSync(Buffer.alloc(0))]), NO_SINK)).rejects.toMatchObject({ code: 'empty' });
  });

  it('rejects a missing file and a directory with read-error, without the path in the message', async () => {
    const missing = join(dir, 'missing.pcap');
    await expect(readCapture(missing, NO_SINK)).rejects.toMatchObject({ code: 'read-error', message: 'cannot read: ENOENT: no such file or directory' });
    await expect(readCapture(dir, NO_SINK)).rejects.toMatchObject({ code: 'read-error', message: 'cannot read: EISDIR: illegal operation on a directory, read' });
  });

  it('rejects a text stream and corrupt gzip with read-error', async () => {
    const text = new PassThrough();
    text.setEncoding('utf8');
    text.end(PCAP);
    await expect(readCapture(text, NO_SINK)).rejects.toMatchObject({ code: 'read-error', message: 'cannot read: the input stream delivers text, not bytes' });
    await expect(readCapture(streamOf([Buffer.from('1f8b0800deadbeef', 'hex')]), NO_SINK)).rejects.toMatchObject({ code: 'read-error', message: expect.stringMatching(/^gzip data is corrupt: /) });
  });
});

describe('failures after the first records', () => {
  it('turns a stream error into a read-error issue, keeping the records read', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield PCAP;
      throw new Error('device gone');
    }
    const { records, issues, result } = await collect(Readable.from(failing()));
    expect(records).toHaveLength(2);
    expect(issues).toEqual([{ code: 'read-error', offset: PCAP.length, frame: 2, message: `cannot read: device gone (after ${PCAP.length} bytes)` }]);
    expect(result.damaged).toBe(true);
  });

  it('turns gzip data cut short into a gzip-error issue, keeping the records read', async () => {
    const many = writePcap(Array.from({ length: 2000 }, (_, i) => ({ ts: i, data: Buffer.alloc(64, i) })));
    const zipped = gzip(many);
    const { records, issues, result } = await collect(streamOf(randomChunks(zipped.subarray(0, zipped.length - 100), 8)));
    expect(records.length).toBeGreaterThan(1000);
    expect(issues).toEqual([{ code: 'gzip-error', offset: result.bytes, frame: records.length, message: expect.stringMatching(/^gzip data is corrupt after \d+ decompressed bytes: unexpected end of file$/) }]);
    expect(result.damaged).toBe(true);
  });

  it('lets exceptions thrown by the sink through unchanged', async () => {
    const boom = new Error('sink bug');
    await expect(readCapture(file('boom.pcapng', PCAPNG), { record: () => { throw boom; }, issue: () => {} })).rejects.toBe(boom);
    await expect(readCapture(streamOf([gzip(PCAP)]), { record: () => { throw boom; }, issue: () => {} })).rejects.toBe(boom);
  });
});

describe('gzip and progress', () => {
  it('reports compressed bytes as progress and decompressed bytes as the result', async () => {
    const zipped = gzip(PCAP);
    const { progress, result } = await collect(file('p.gz', zipped));
    expect(progress[progress.length - 1]).toBe(zipped.length);
    expect(result).toMatchObject({ bytes: PCAP.length, records: 2 });
  });
});

describe('hygiene', () => {
  it('prints no deprecation warning and leaves no unhandled rejection', async () => {
    const warnings: string[] = [];
    const rejections: unknown[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.name); };
    const onRejection = (r: unknown): void => { rejections.push(r); };
    process.on('warning', onWarning);
    process.on('unhandledRejection', onRejection);
    try {
      await collect(file('w.pcap', PCAP));
      const lying = Buffer.from(PCAP);
      lying.writeUInt32LE(0xffffffff, 24 + 8);
      await collect(streamOf(randomChunks(gzip(lying), 2, 10)));
      await readCapture(join(dir, 'nope'), NO_SINK).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('warning', onWarning);
      process.off('unhandledRejection', onRejection);
    }
    expect(warnings).toEqual([]);
    expect(rejections).toEqual([]);
  });
});
