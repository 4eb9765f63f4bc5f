/** The progress bar's ETA: the time left at the rate so far, in a short form, and a dash before there is a rate. */
import { etaText } from '../../src/cli/progress';

describe('progress ETA', () => {
  it.each([
    [0, 100, 5, '–'],
    [10, 100, 0, '–'],
    [50, 100, 10, '10s'],
    [100, 100, 10, '0s'],
    [120, 100, 10, '0s'],
    [10, 100, 10, '1m30s'],
    [1, 1000, 5, '1h23m'],
    [1, 100, 0.61, '1m00s'],
  ])('%d of %d bytes in %d s: %s', (read, total, seconds, text) => {
    expect(etaText(read, total, seconds)).toBe(text);
  });
});
