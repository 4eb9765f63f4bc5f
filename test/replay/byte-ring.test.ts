/** The byte ring, both ends on one thread: strings come out as they went in, across the ring's wrap and
 * split into several records; a reader that gives up stops a waiting writer. */
import { ByteRingReader, ByteRingWriter, newRingMemory, RingAbandoned } from '../../src/replay/byte-ring';
import { prng } from '../support/prng';

describe('byte ring', () => {
  it.each([
    ['from 0', 0],
    ['across the 32-bit wrap of its positions', 2 ** 32 - 4096],
  ])('hands over strings of every length in order, through wraps and splits, %s', async (_name, start) => {
    // 256 bytes: a quarter (64) is the longest record, so strings of up to 100 bytes are split. 500
    // strings are about 40 KB: started 4 KiB short of 2^32, the positions pass it.
    const memory = newRingMemory(256, start);
    const writer = new ByteRingWriter(memory);
    const reader = new ByteRingReader(memory);
    const random = prng(5);
    const sent: string[] = [];
    const got: string[] = [];
    const take = (bytes: Buffer): void => { got.push(bytes.toString('latin1')); };
    for (let i = 0; i < 500; i++) {
      const text = String.fromCharCode(...Array.from({ length: Math.floor(random() * 101) }, () => 32 + Math.floor(random() * 95)));
      const bytes = Buffer.from(text, 'latin1');
      writer.put(bytes, bytes.length);
      sent.push(text);
      // Drained after each string (one string, 120 bytes at most, always fits; a full ring would block
      // this thread for good): strings of every length make the ring wrap at every offset.
      await reader.takeAll(take, () => true);
    }
    writer.end();
    await reader.takeAll(take, () => false);
    expect(got).toEqual(sent);
  });

  it.each([
    ['from 0', 0],
    ['across the 32-bit wrap of its positions', 2 ** 32 - 4096],
  ])('hands over strings written in place, among strings put, with their tags, through wraps, %s', async (_name, start) => {
    const memory = newRingMemory(256, start);
    const all = Buffer.from(memory);
    const writer = new ByteRingWriter(memory);
    const reader = new ByteRingReader(memory);
    const random = prng(9);
    const sent: string[] = [];
    const got: string[] = [];
    const take = (bytes: Buffer, tag: number): void => { got.push(`${tag}:${bytes.toString('latin1')}`); };
    expect(writer.maxClaim).toBe(64);
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 65);
      const text = String.fromCharCode(...Array.from({ length }, () => 32 + Math.floor(random() * 95)));
      const tag = i % 5;
      if (i % 3 === 0) {
        writer.put(Buffer.from(text, 'latin1'), length, tag);
      } else {
        const at = writer.claim(length);
        // Where doubles can be written.
        expect(at % 8).toBe(0);
        all.write(text, at, 'latin1');
        writer.commit(length, tag);
      }
      sent.push(`${tag}:${text}`);
      await reader.takeAll(take, () => true);
    }
    expect(() => writer.claim(65)).toThrow('cannot claim 65 bytes of a ring that takes at most 64 in one record');
    writer.end();
    await reader.takeAll(take, () => false);
    expect(got).toEqual(sent);
  });

  it('puts only the first `length` bytes, copied, and no more than its buffer holds', async () => {
    const memory = newRingMemory(64);
    const writer = new ByteRingWriter(memory);
    const src = Buffer.from('abcdef');
    expect(() => writer.put(src, 7)).toThrow('cannot put 7 bytes of a buffer of 6');
    writer.put(src, 3);
    src.fill(0);
    writer.end();
    const got: string[] = [];
    await new ByteRingReader(memory).takeAll((b) => { got.push(b.toString()); }, () => false);
    expect(got).toEqual(['abc']);
  });

  it('stops a writer waiting for room once the reader gives up', () => {
    const memory = newRingMemory(64);
    const writer = new ByteRingWriter(memory);
    new ByteRingReader(memory).abandon();
    const bytes = Buffer.alloc(16);
    expect(() => { for (let i = 0; i < 10; i++) writer.put(bytes, 16); }).toThrow(RingAbandoned);
  });

  it('puts without waiting only when there is room, and takes what is ready without the end', async () => {
    // 128 bytes: records of up to 32 bytes, with a header of 8 each.
    const memory = newRingMemory(128);
    const writer = new ByteRingWriter(memory);
    const reader = new ByteRingReader(memory);
    const got: string[] = [];
    const take = (b: Buffer): void => { got.push(b.toString()); };
    const text = (i: number): Buffer => Buffer.from(`string ${String(i).padStart(17, '0')}`);
    writer.put(Buffer.from('a'.repeat(16)), 16);
    let put = 1;
    while (writer.tryPut(text(put), 24)) put++;
    // At 120, the 8 bytes left at the end of the ring are too short for the next record: it needs 40.
    expect(put).toBe(4);
    expect(writer.tryPut(Buffer.alloc(40), 40)).toBe(false);
    expect(reader.takeReady(take)).toBe(true);
    expect(reader.takeReady(take)).toBe(false);
    expect(writer.tryPut(text(4), 24)).toBe(true);
    expect(writer.tryPut(text(5), 24)).toBe(true);
    await writer.waitForRoom(24, 1);
    expect(writer.tryEnd()).toBe(true);
    expect(reader.takeReady(take)).toBe(true);
    expect(reader.takeReady(take)).toBe(false);
    reader.takeAllBlocking(take, () => false);
    expect(got).toEqual(['a'.repeat(16), ...[1, 2, 3, 4, 5].map((i) => text(i).toString())]);
  });

  it('has a blocking taker give up when told to, and a writer that would wait call beforeWait first', async () => {
    const memory = newRingMemory(64);
    const reader = new ByteRingReader(memory);
    expect(() => reader.takeAllBlocking(() => {}, () => true)).toThrow(RingAbandoned);
    let calls = 0;
    const writer = new ByteRingWriter(memory, { beforeWait: () => { calls++; } });
    writer.put(Buffer.alloc(16), 16);
    writer.put(Buffer.alloc(16), 16);
    expect(calls).toBe(0);
    expect(writer.tryPut(Buffer.alloc(16), 16)).toBe(false);
    await writer.waitForRoom(16, 1);
    expect(calls).toBe(1);
    reader.abandon();
    expect(writer.abandoned).toBe(true);
  });

  it('asks to be woken once a sixteenth of the ring is free, not as soon as its string fits, and is woken', async () => {
    // 1 KiB: a sixteenth is 64 bytes, four records of 8 + 8 bytes.
    const memory = newRingMemory(1024);
    const writer = new ByteRingWriter(memory);
    const reader = new ByteRingReader(memory);
    let put = 0;
    while (writer.tryPut(Buffer.alloc(8), 8)) put++;
    expect(put).toBe(64);
    // The room the reader wakes the writer for, in the ring's fifth control word (WRITER_NEEDS).
    const needs = (): number => new Int32Array(memory, 0, 8)[4];
    // Woken by the reader, not by the end of the wait (which resolves the same way).
    const wokenWithin = async (room: number, expected: number): Promise<void> => {
      const started = Date.now();
      const waiting = writer.waitForRoom(room, 20_000);
      expect(needs()).toBe(expected);
      reader.takeReady(() => {});
      await waiting;
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(needs()).toBe(0);
    };
    await wokenWithin(8, 64);
    // A string larger than a sixteenth is waited for whole.
    while (writer.tryPut(Buffer.alloc(8), 8)) put++;
    await wokenWithin(200, 208);
  });

  it('takes only a ring size that is a power of two', () => {
    expect(() => newRingMemory(100)).toThrow('power of two');
    expect(() => newRingMemory(64.5)).toThrow('power of two');
  });
});
