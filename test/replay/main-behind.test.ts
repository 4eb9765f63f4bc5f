import { MainBehind } from '../../src/replay/main-behind';

describe('MainBehind', () => {
  it('counts the main thread behind from half full until the ring is nearly empty again', () => {
    const behind = new MainBehind(0.5);
    const fills = [0.1, 0.49, 0.5, 0.3, 0.07, 0.0625, 0.3, 0.8, 0];
    expect(fills.map((f) => behind.at(f))).toEqual([false, false, true, true, true, false, false, true, false]);
  });

  it('is always behind at 0 and never above 1, as the tests that pin where work is done want', () => {
    const always = new MainBehind(0);
    const never = new MainBehind(2);
    for (const f of [0, 0.01, 0.5, 1]) {
      expect(always.at(f)).toBe(true);
      expect(never.at(f)).toBe(false);
    }
  });
});
