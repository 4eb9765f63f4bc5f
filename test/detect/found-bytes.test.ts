/** What the detectors found on another thread comes over whole: each finding's head as FindingStore keeps
 * it, and its JSON and its measures' JSON as that thread made them, through buffers that grow. */
import type { Finding } from '../../src/detect/finding';
import { findingHead } from '../../src/detect/finding-list';
import { FoundWriter, readFound, type DetectorFinding } from '../../src/detect/found-bytes';

function finding(i: number, text: string): Finding {
  return {
    kind: i % 2 === 0 ? 'half-closed' : 'abortive-close',
    severity: (['info', 'warning', 'critical'] as const)[i % 3],
    ...(i % 4 === 3 ? {} : { connection: 7 }),
    // A listener is an address and port; one that is not ASCII is read as UTF-8 too.
    ...(i % 5 === 4 ? {} : { listener: ['10.0.0.1:80', '[2001:db8::1]:443', 'hôte-é:80'][i % 3] }),
    at: 1_790_000_000.123456 + i,
    ...(i % 3 === 2 ? {} : { duration_s: i * 0.1, duration_is_lower_bound: i % 2 === 0 }),
    ...(i % 3 === 1 ? {} : { measures: { fin_wait_2_s: i / 3, closed_by: 'server', acknowledged: true, matches: null } }),
    frames: [1, 2, i],
    filter: 'tcp.stream == 7',
    summary: `finding ${i}: ${text}`,
    explanation: text,
  };
}

describe('FoundWriter and readFound', () => {
  it('hand over each finding\'s head and texts, and the connection\'s bits, through a buffer that grows', () => {
    const writer = new FoundWriter();
    const first = writer.bytes;
    // Texts past the first buffer (1 KiB) and past its doubling, with characters of two and three bytes in UTF-8.
    for (const text of ['short', 'é€ “quoted” '.repeat(3000)]) {
      const found: DetectorFinding[] = [0, 1, 2, 3, 4, 5].map((i) => [i % 3, finding(i, text)]);
      const length = writer.write(123_456, (1 << 16) | 2, found);
      const read: DetectorFinding[] = [];
      const heads: unknown[] = [];
      const { id, bits } = readFound(writer.bytes.subarray(0, length), (of, k, head, json, measures) => {
        expect(of).toBe(123_456);
        const f = JSON.parse(Buffer.from(json).toString('utf8')) as Finding;
        expect(measures === undefined ? undefined : JSON.parse(Buffer.from(measures).toString('utf8'))).toEqual(f.measures);
        read.push([k, f]);
        heads.push(head);
      });
      expect([id, bits]).toEqual([123_456, (1 << 16) | 2]);
      expect(read).toEqual(found);
      expect(heads).toEqual(found.map(([, f]) => findingHead(f)));
    }
    expect(writer.bytes).not.toBe(first);
    // None found: the bits alone.
    const none = writer.write(5, 0, []);
    expect(readFound(writer.bytes.subarray(0, none), () => { throw new Error('no finding'); })).toEqual({ id: 5, bits: 0 });
  });
});
