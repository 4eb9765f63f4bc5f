import { FINDING_KINDS, type FindingKind } from '../detect/finding';
import { DETECTORS, detectorFor } from '../detect/registry';
import { EXIT_OK, EXIT_USAGE } from './exit-codes';

/** `tcpteardown explain KIND`: the long explanation of a finding kind; without a kind, the list. */
export function runExplain(kind: string | undefined): number {
  if (kind === undefined) {
    const width = Math.max(...FINDING_KINDS.map((k) => k.length));
    process.stdout.write(`${DETECTORS.map((d) => `${d.kind.padEnd(width)}  ${d.title}`).join('\n')}\n`);
    return EXIT_OK;
  }
  if (!(FINDING_KINDS as readonly string[]).includes(kind)) {
    process.stderr.write(`tcpteardown: explain: unknown finding kind '${kind}' (run 'tcpteardown explain' for the list)\n`);
    return EXIT_USAGE;
  }
  const d = detectorFor(kind as FindingKind);
  process.stdout.write(`${d.kind}: ${d.title}\n\n${d.explanation}\n`);
  return EXIT_OK;
}
