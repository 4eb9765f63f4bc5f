import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { indexHtml } from './index-html';
import type { ScanIndex } from './index-model';

export async function writeIndex(out: string, index: ScanIndex): Promise<void> {
  await writeFile(join(out, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  await writeFile(join(out, 'index.html'), indexHtml(index));
}
