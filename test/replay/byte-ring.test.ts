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

  it('takes only a ring size that is a power of two', () => {
    expect(() => newRingMemory(100)).toThrow('power of two');
    expect(() => newRingMemory(64.5)).toThrow('power of two');
  });
});
