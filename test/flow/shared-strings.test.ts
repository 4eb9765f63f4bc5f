import { SharedStrings } from '../../src/flow/shared-strings';

/** Builds a string at run time, so that it is a copy and not the literal the test holds. */
const copyOf = (s: string): string => s.split('').join('');

describe('SharedStrings', () => {
  it('gives back the copy it kept for an equal string', () => {
    const shared = new SharedStrings(4);
    const first = shared.share(copyOf('ShAD'));
    expect(shared.share(copyOf('ShAD'))).toBe(first);
    expect(shared.share(copyOf('ShADadFf'))).toBe('ShADadFf');
  });

  it('empties when it holds its limit, and still gives back equal strings', () => {
    const shared = new SharedStrings(2);
    for (const s of ['a', 'b', 'c', 'd', 'e']) expect(shared.share(copyOf(s))).toBe(s);
    expect(shared.share(copyOf('e'))).toBe('e');
  });
});
