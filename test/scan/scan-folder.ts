/** The folder the batch tests scan: the lab capture, the small corpus captures, one rotated set,
 * and the files a real capture folder also holds: corrupt, truncated, compressed, not captures. */
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { gzip, writePcap } from '../support/capture-writer';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures } from '../support/corpus';
import { rotatedTraffic, splitAt } from './rotated-capture';
import { ROOT } from './scan-cli';

export const LAB_CAPTURE = join(ROOT, 'captures', 'lo-teardown-mix.pcap');

/** Corpus captures small enough to keep the suite quick, and the one gzip of the corpus. */
const CORPUS_MAX_BYTES = 64 * 1024;

export function corpusPicks(): string[] {
  if (!corpusAvailable()) return [];
  return corpusCaptures().filter((name) => name.endsWith('.gz') || statSync(join(CORPUS_CAPTURES, name)).size <= CORPUS_MAX_BYTES);
}

/** Writes the folder `in` under `dir`. */
export function buildScanFolder(dir: string): void {
  const at = (path: string, bytes: Buffer): void => {
    mkdirSync(join(dir, 'in', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'in', path), bytes);
  };
  const lab = readFileSync(LAB_CAPTURE);
  at('lab/lo-teardown-mix.pcap', lab);
  at('lab/<i>odd & "name".pcap', lab);
  for (const name of corpusPicks()) {
    mkdirSync(join(dir, 'in', 'corpus'), { recursive: true });
    copyFileSync(join(CORPUS_CAPTURES, name), join(dir, 'in', 'corpus', name));
  }
  const parts = splitAt(rotatedTraffic(), [40, 80]);
  parts.forEach((part, i) => at(`rotated/dump.pcap${i}`, writePcap(part)));
  // Named like nothing: recognised by its magic bytes.
  at('broken/compressed-copy', gzip(lab));
  at('broken/truncated.pcap', lab.subarray(0, lab.length - 30));
  // A pcapng section header whose byte-order magic is wrong: nothing in it can be read.
  at('broken/corrupt.pcapng', Buffer.concat([Buffer.from('0a0d0d0a1c000000', 'hex'), Buffer.from('not a byte-order magic at all')]));
  at('notes.txt', Buffer.from('the capture of host 3 is on the other share\n'));
  at('empty.pcap', Buffer.alloc(0));
  at('logs/server.log.gz', gzipSync('GET / 200\n'));
}
