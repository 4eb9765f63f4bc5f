import { gunzipChunks, prepend, readHead } from './input-chunks';
import { hexBytes, sniff, SNIFF_BYTES, type Sniffed } from './sniff';

export interface SniffedInput {
  /** The first bytes, of the decompressed data when the input is gzip. */
  head: Buffer;
  /** What they are ('gzip' never: one gzip layer is looked through). */
  kind: Sniffed;
  gzip: boolean;
}

/** Reads the first bytes of `source.chunks` and tells what the input holds, looking through one gzip
 * layer; `source.chunks` then yields the rest (decompressed), without the head. Read errors pass
 * through unchanged: the callers give them different meanings. */
export async function sniffInput(source: { chunks: AsyncGenerator<Buffer> }): Promise<SniffedInput> {
  let head = await readHead(source.chunks, SNIFF_BYTES);
  let kind = sniff(head);
  const gzip = kind.kind === 'gzip';
  if (gzip) {
    source.chunks = gunzipChunks(prepend(head, source.chunks));
    head = await readHead(source.chunks, SNIFF_BYTES);
    kind = sniff(head);
  }
  return { head, kind, gzip };
}

/** What the input starts with, for "not a capture" messages. */
export function startsWith(s: SniffedInput): string {
  return `${s.gzip ? 'gzip data whose content starts' : 'starts'} with bytes ${hexBytes(s.head)}`;
}
