import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { collect, digest, randomChunks, seededRandom, splitAt, streamOf } from './collect';
import { BLOCK_HEADER_BYTES } from '../../src/capture/pcapng/blocks';
import { readCapture } from '../../src/capture/read-capture';
import { gzip, writePcap, writePcapng, type WriteRecord } from '../support/capture-writer';

const PCAP = writePcap([{ ts: 1, data: Buffer.from('one') }, { ts: 2, data: Buffer.from('two') }]);
const PCAPNG = writePcapng({ blocks: [{ ts: 1, data: Buffer.from('one') }, { ts: 2, data: Buffer.from('two') }] });
const NO_SINK = { record: () => {}, issue: () => {} };
const ROOT = join(__dirname, '..', '..');

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

/** Runs `script` in a Node process of its own, with the project's built code at DIST: Jest keeps
 * unhandled rejections and warnings from a test's listeners. */
function runNode(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['-e', script.replaceAll('DIST', JSON.stringify(join(ROOT, 'dist'))), ...args], { encoding: 'utf8' });
}

describe('hygiene', () => {
  it('prints no deprecation warning and leaves no unhandled rejection', () => {
    const lying = Buffer.from(PCAP);
    lying.writeUInt32LE(0xffffffff, 24 + 8);
    const run = runNode(`
      const { readFileSync } = require('node:fs');
      const { Readable } = require('node:stream');
      const { readCapture } = require(DIST + '/capture/read-capture.js');
      const seen = [];
      process.on('warning', (w) => seen.push('warning ' + w.name));
      process.on('unhandledRejection', (r) => seen.push('unhandled rejection ' + r));
      const sink = { record() {}, issue() {} };
      (async () => {
        await readCapture(process.argv[1], sink);
        // gzip in 10-byte chunks, of a pcap whose first record claims 4 GB.
        const zipped = readFileSync(process.argv[2]);
        const chunks = [];
        for (let at = 0; at < zipped.length; at += 10) chunks.push(zipped.subarray(at, at + 10));
        await readCapture(Readable.from(chunks), sink);
        await readCapture(process.argv[3], sink).catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 20));
        console.log(JSON.stringify(seen));
      })();`, file('w.pcap', PCAP), file('lying.pcap.gz', gzip(lying)), join(dir, 'nope'));
    expect([run.status, run.stdout.trim(), run.stderr]).toEqual([0, '[]', '']);
  });
});

describe('a file read into reused buffers', () => {
  const MiB = 1 << 20;
  /** Some 5 MiB of records of up to 9,000 bytes, with a filler sized so that the record after it starts
   * `beforeBoundary` bytes before the first 1 MiB chunk ends: its header is then complete at the end of one
   * chunk and its body in the next, which a reader must have copied before that chunk's buffer is reused. */
  function records(write: (rs: WriteRecord[]) => Buffer, beforeBoundary: number): WriteRecord[] {
    const rnd = seededRandom(11);
    const rs: WriteRecord[] = [];
    // Random bytes, so that gzip does not shrink the file to one chunk.
    const noise = Buffer.from(Array.from({ length: 1 << 16 }, () => Math.floor(rnd() * 256)));
    const next = (size: number): WriteRecord => {
      const from = Math.floor(rnd() * (noise.length - size));
      return { ts: 1_700_000_000 + rs.length / 1000, data: noise.subarray(from, from + size) };
    };
    // What one record adds to the file (records are written alike, one after another).
    const empty = write([]).length;
    const cost = (size: number): number => write([{ ts: 0, data: Buffer.alloc(size) }]).length - empty;
    let length = empty;
    const add = (size: number): void => {
      length += cost(size);
      rs.push(next(size));
    };
    while (length < MiB - 20_000) add(Math.floor(rnd() * 9000));
    let filler = 0;
    while (length + cost(filler) !== MiB - beforeBoundary) if (++filler > 20_000) throw new Error('no filler length lands on the boundary');
    add(filler);
    while (length < 5 * MiB) add(Math.floor(rnd() * 9000));
    expect(write(rs).length).toBe(length);
    return rs;
  }

  it.each([
    ['pcap', (rs: WriteRecord[]) => writePcap(rs), 16],
    ['pcapng', (rs: WriteRecord[]) => writePcapng({ blocks: rs }), BLOCK_HEADER_BYTES],
    ['pcapng, gzip', (rs: WriteRecord[]) => writePcapng({ blocks: rs }), BLOCK_HEADER_BYTES],
  ])('gives the records the same bytes give as a stream: %s', async (name, write, headerBytes) => {
    const capture = write(records(write, headerBytes));
    const bytes = name.endsWith('gzip') ? gzip(capture) : capture;
    const path = file(`reused-${name.replace(/\W+/g, '-')}`, bytes);
    const fromFile = await digest(path);
    const fromStream = await digest(streamOf(randomChunks(bytes, 5, 200_000)));
    expect(fromFile.count).toBeGreaterThan(1000);
    expect(fromFile.issues).toEqual([]);
    expect(fromFile).toEqual(fromStream);
  });

  it('holds a read that fails ahead of the caller until the caller asks for that chunk', () => {
    const write = (rs: WriteRecord[]): Buffer => writePcap(rs);
    const path = file('failing-read.pcap', write(records(write, 16)));
    // Node's default ends the process on an unhandled rejection. The third read, ahead of the second
    // chunk, fails while the caller is still busy with that chunk (a gzip reader can be, for turns of the
    // event loop).
    const run = runNode(`
      const { open } = require('node:fs/promises');
      const { inputChunks } = require(DIST + '/capture/input-chunks.js');
      (async () => {
        const handle = await open(process.argv[1]);
        const proto = Object.getPrototypeOf(handle);
        await handle.close();
        const read = proto.read;
        let calls = 0;
        proto.read = function (...args) {
          if (++calls === 3) return Promise.reject(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', syscall: 'read' }));
          return read.apply(this, args);
        };
        const chunks = inputChunks(process.argv[1], { bytes: 0 }, true);
        const sizes = [(await chunks.next()).value.length, (await chunks.next()).value.length];
        await new Promise((resolve) => setTimeout(resolve, 20));
        await chunks.next().then(() => console.log('no error'), (err) => console.log(sizes.join(' '), err.name, err.message));
      })();`, path);
    expect([run.status, run.stdout.trim(), run.stderr]).toEqual([0, `${MiB} ${MiB} InputError cannot read: EIO: i/o error, read`, '']);
  });
});
