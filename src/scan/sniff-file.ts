import { GzipError, gunzipChunks, inputChunks, prepend, readHead } from '../capture/input-chunks';
import { hexBytes, sniff, SNIFF_BYTES } from '../capture/sniff';

export type Sniffing = { capture: true; gzip: boolean } | { capture: false; reason: string };

/** Whether a file holds a capture, from its first bytes (for gzip, the first decompressed ones).
 * Throws InputError when the file cannot be read. */
export async function sniffFile(path: string): Promise<Sniffing> {
  let chunks = inputChunks(path, { bytes: 0 });
  try {
    let head = await readHead(chunks, SNIFF_BYTES);
    if (head.length === 0) return { capture: false, reason: 'empty file' };
    let kind = sniff(head).kind;
    const gzip = kind === 'gzip';
    if (gzip) {
      chunks = gunzipChunks(prepend(head, chunks));
      try {
        head = await readHead(chunks, SNIFF_BYTES);
      } catch (err) {
        // Corrupt from the start: it may be a capture; its analysis will say what is wrong.
        if (err instanceof GzipError) return { capture: true, gzip };
        throw err;
      }
      kind = sniff(head).kind;
    }
    if (kind === 'pcap' || kind === 'pcapng') return { capture: true, gzip };
    return { capture: false, reason: `not a capture: ${gzip ? 'gzip data whose content starts' : 'starts'} with bytes ${hexBytes(head)}` };
  } finally {
    await chunks.return(undefined);
  }
}
