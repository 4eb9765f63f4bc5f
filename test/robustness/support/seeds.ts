/** Real captures the mutations start from: the shared corpus and the project's own captures/. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CORPUS_CAPTURES } from '../../support/corpus';

export const PROJECT_CAPTURES = join(__dirname, '..', '..', '..', 'captures');
export const SEED_DIRS = [CORPUS_CAPTURES, PROJECT_CAPTURES];
export const REGRESSIONS_DIR = join(__dirname, '..', 'regressions');

const CAPTURE_FILE = /\.(pcap|pcapng|cap|gz)$/i;

export interface Seed {
  name: string;
  path: string;
  /** The file as stored. */
  bytes: Buffer;
  /** The capture inside (decompressed when the file is gzip): what structural mutations aim at. */
  capture: Buffer;
  gzip: boolean;
}

export function seedPaths(dirs: string[] = SEED_DIRS): string[] {
  return dirs.filter(existsSync).flatMap((dir) =>
    readdirSync(dir).filter((f) => CAPTURE_FILE.test(f)).sort().map((f) => join(dir, f)));
}

export function loadSeed(path: string): Seed {
  const bytes = readFileSync(path);
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return { name: path.split('/').pop() ?? path, path, bytes, capture: gzip ? gunzipSync(bytes) : bytes, gzip };
}

/** Seeds whose stored size is at most `maxBytes` (the bounded test runs keep to small ones). */
export function loadSeeds(maxBytes = Infinity, dirs: string[] = SEED_DIRS): Seed[] {
  return seedPaths(dirs).map(loadSeed).filter((s) => s.bytes.length <= maxBytes);
}

/** Small captures for exhaustive cuts: pcap LE/BE, µs/ns, pcapng, and the project's own. */
export const SMALL_CAPTURES = [
  'pcpp__one_tcp_rst.pcap',
  'zeek__tcp__syn-then-stuff-then-rst.pcap',
  'tcpdump__tcp-handshake-nano.pcap',
  'pcpp__sll2.pcap',
  'ppa__tcp_refuseconnection.pcapng',
  'ppa__tcp_teardown.pcapng',
  'zeek__tcp__retransmit-timeout.pcapng',
  'pcpp__one_tcp_stream_fin_rst_close_packet.pcap',
  'pcpp__nanosecs_big_endian.pcap',
];

export function smallCapturePaths(): string[] {
  const corpus = SMALL_CAPTURES.map((n) => join(CORPUS_CAPTURES, n)).filter(existsSync);
  return [...corpus, join(PROJECT_CAPTURES, 'lo-teardown-mix.pcap')].filter(existsSync);
}
