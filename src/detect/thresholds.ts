/** Detector thresholds: options with units on the command line, echoed in every report. */

export interface Thresholds {
  /** A FIN acknowledged and no FIN back for this long: half-closed. */
  halfCloseS: number;
  /** Between the first and the second FIN, with the second closer idle: late FIN. */
  lateFinS: number;
  /** The server application silent this long after the client's request or FIN: accept delay. */
  acceptDelayS: number;
  /** Connections waiting at once before a listener counts as saturated. */
  saturationMinWaiting: number;
  /** A RST within this time after a peer's segment answers that segment. */
  rstReplyS: number;
  /** A zero window lasting this long is reported as a warning. */
  zeroWindowS: number;
  /** Idle gap before a close that is worth matching against well-known timeouts. */
  idleTimeoutMinS: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  halfCloseS: 5,
  lateFinS: 5,
  acceptDelayS: 5,
  saturationMinWaiting: 3,
  rstReplyS: 1,
  zeroWindowS: 1,
  idleTimeoutMinS: 4,
};

const UNITS: Record<string, number> = { us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, min: 60, h: 3600 };

/** "500ms", "90s", "2m", "1.5h", or a bare number of seconds. Throws a user-facing message. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|min|h)?\s*$/.exec(text);
  if (!m) throw new Error(`'${text}' is not a duration (examples: 500ms, 90s, 2m)`);
  return Number(m[1]) * UNITS[m[2] ?? 's'];
}
