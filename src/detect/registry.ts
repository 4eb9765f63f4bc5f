import { abortiveClose } from './abortive-close';
import { acceptDelay } from './accept-delay';
import type { Detector } from './detector';
import type { FindingKind } from './finding';
import { finUnacked } from './fin-unacked';
import { halfClosed } from './half-closed';
import { idleTimeout } from './idle-timeout';
import { keepaliveRace } from './keepalive-race';
import { lateFin } from './late-fin';
import { listenerSaturation } from './listener-saturation';
import { portReuse } from './port-reuse';
import { portScan } from './port-scan';
import { rstAfterLateFin } from './rst-after-late-fin';
import { synUnanswered } from './syn-unanswered';
import { zeroWindow } from './zero-window';

/** Every detector, root causes first: the order breaks ties between incidents of equal severity. */
export const DETECTORS: readonly Detector[] = [
  listenerSaturation,
  halfClosed,
  rstAfterLateFin,
  lateFin,
  acceptDelay,
  synUnanswered,
  portReuse,
  keepaliveRace,
  abortiveClose,
  finUnacked,
  zeroWindow,
  idleTimeout,
  portScan,
];

export function detectorFor(kind: FindingKind): Detector {
  const d = DETECTORS.find((x) => x.kind === kind);
  if (!d) throw new Error(`no detector for ${kind}`);
  return d;
}
