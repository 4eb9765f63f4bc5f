import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The public corpus beside the checkout (../shared/corpus), as CI lays it out. */
export const CORPUS_DIR = join(__dirname, '..', '..', '..', 'shared', 'corpus');
export const CORPUS_CAPTURES = join(CORPUS_DIR, 'captures');
export const ORACLE_DIR = join(CORPUS_DIR, 'oracle');
export const EXPECTED_DIR = join(CORPUS_DIR, 'expected');

export function corpusAvailable(): boolean {
  return existsSync(CORPUS_CAPTURES);
}

export function corpusCaptures(): string[] {
  return readdirSync(CORPUS_CAPTURES).sort();
}

export function oraclePath(capture: string, suffix: string): string {
  return join(ORACLE_DIR, `${capture}.${suffix}`);
}

export interface ManifestRow {
  name: string;
  format: string;
  linktype: string;
  packets: number | null;
  tcpPackets: number | null;
  tcpStreams: number | null;
}

export function readManifest(): ManifestRow[] {
  const lines = readFileSync(join(CORPUS_DIR, 'manifest.tsv'), 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split('\t');
  const col = (name: string): number => header.indexOf(name);
  const num = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : null);
  return lines.slice(1).map((line) => {
    const f = line.split('\t');
    return {
      name: f[col('name')], format: f[col('format')], linktype: f[col('linktype')],
      packets: num(f[col('packets')]), tcpPackets: num(f[col('tcp_packets')]), tcpStreams: num(f[col('tcp_streams')]),
    };
  });
}
