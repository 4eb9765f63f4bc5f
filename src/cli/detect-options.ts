import { FINDING_KINDS, type FindingKind, type Severity } from '../detect/finding';
import type { DetectOptions } from '../detect/run-detectors';
import { DEFAULT_THRESHOLDS, parseDuration, type Thresholds } from '../detect/thresholds';

/** Command-line threshold options: name → field, all durations with units. */
export const THRESHOLD_OPTIONS: Record<string, { field: keyof Thresholds; describe: string }> = {
  'half-close': { field: 'halfCloseS', describe: 'report a half-close (CLOSE_WAIT) lasting at least this long' },
  'late-fin': { field: 'lateFinS', describe: 'report a second FIN coming at least this long after the first' },
  'accept-delay': { field: 'acceptDelayS', describe: 'report a server application silent this long after a request' },
  'zero-window': { field: 'zeroWindowS', describe: 'report a zero window lasting at least this long' },
};

export interface RawDetectArgs {
  only?: string;
  thresholds: Record<string, string | undefined>;
}

/** Turns the raw option strings into detector options; throws a one-line message on bad input. */
export function detectOptions(raw: RawDetectArgs): DetectOptions {
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS };
  for (const [name, value] of Object.entries(raw.thresholds)) {
    const option = THRESHOLD_OPTIONS[name];
    if (option && value !== undefined) {
      try {
        thresholds[option.field] = parseDuration(value);
      } catch (err) {
        throw new Error(`--${name}: ${(err as Error).message}`);
      }
    }
  }
  const only = raw.only === undefined ? undefined : parseKinds(raw.only);
  return { thresholds, only };
}

function parseKinds(list: string): FindingKind[] {
  const kinds = list.split(',').map((k) => k.trim()).filter(Boolean);
  for (const k of kinds) {
    if (!(FINDING_KINDS as readonly string[]).includes(k)) {
      throw new Error(`--only: unknown finding kind '${k}' (kinds: ${FINDING_KINDS.join(', ')})`);
    }
  }
  return kinds as FindingKind[];
}

export function parseFailOn(value: string | undefined): Severity | null {
  if (value === undefined) return null;
  if (value === 'warning' || value === 'critical' || value === 'info') return value;
  throw new Error(`--fail-on: '${value}' is not a severity (warning, critical)`);
}
