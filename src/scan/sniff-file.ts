import { GzipError, inputChunks } from '../capture/input-chunks';
import { sniffInput, startsWith } from '../capture/sniff-input';

export type Sniffing = { capture: true; gzip: boolean } | { capture: false; reason: string };

/** Whether a file holds a capture, from its first bytes (for gzip, the first decompressed ones).
 * Throws InputError when the file cannot be read. */
export async function sniffFile(path: string): Promise<Sniffing> {
  const source = { chunks: inputChunks(path, { bytes: 0 }) };
  try {
    let sniffed;
    try {
      sniffed = await sniffInput(source);
    } catch (err) {
      // Corrupt from the start: it may be a capture; its analysis will say what is wrong.
      if (err instanceof GzipError) return { capture: true, gzip: true };
      throw err;
    }
    const { head, kind, gzip } = sniffed;
    if (head.length === 0) return { capture: false, reason: gzip ? 'gzip data that decompresses to nothing' : 'empty file' };
    if (kind.kind === 'pcap' || kind.kind === 'pcapng') return { capture: true, gzip };
    return { capture: false, reason: `not a capture: ${startsWith(sniffed)}` };
  } finally {
    await source.chunks.return(undefined);
  }
}
