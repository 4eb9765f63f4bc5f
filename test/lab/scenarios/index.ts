import type { Scenario } from '../scenario';
import { abortiveClose } from './abortive-close';
import { backlogOverflow } from './backlog-overflow';
import { clean } from './clean';
import { closeWaitLeak } from './close-wait-leak';
import { formats } from './formats';
import { keepaliveRace } from './keepalive-race';
import { keepaliveStarvation } from './keepalive-starvation';
import { zeroWindow } from './zero-window';

/** In the order of issue 4. */
export const SCENARIOS: readonly Scenario[] = [
  keepaliveStarvation, closeWaitLeak, keepaliveRace, backlogOverflow, abortiveClose, zeroWindow, clean, formats,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
