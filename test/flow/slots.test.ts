import { Float64Pages, Int32Pages, REPLAY_PAGE_BITS } from '../../src/flow/id-pages';
import { Slots } from '../../src/flow/slots';

function columns(): { times: Float64Pages; links: Int32Pages; slots: Slots } {
  const times = new Float64Pages(3, REPLAY_PAGE_BITS);
  const links = new Int32Pages(2, REPLAY_PAGE_BITS);
  return { times, links, slots: new Slots([[times, NaN], [links, -1]]) };
}

describe('Slots', () => {
  it('gives slots with every number of every column fresh, past many pages', () => {
    const { times, links, slots } = columns();
    const n = 5 * (1 << REPLAY_PAGE_BITS) + 7;
    for (let i = 0; i < n; i++) {
      const slot = slots.take();
      expect(slot).toBe(i);
      for (let k = 0; k < 3; k++) expect(times.get(slot, k)).toBeNaN();
      for (let k = 0; k < 2; k++) expect(links.get(slot, k)).toBe(-1);
      times.set(slot, 2, i);
      links.set(slot, 1, i);
    }
    // Taking slots wrote nothing into the others.
    for (const i of [0, 4095, 4096, n - 1]) expect([times.get(i, 2), links.get(i, 1)]).toEqual([i, i]);
    expect(slots.taken).toBe(n);
  });

  it('gives a slot given back again, fresh, before any new one', () => {
    const { times, links, slots } = columns();
    for (let i = 0; i < 10; i++) slots.take();
    times.set(3, 0, 42);
    links.set(3, 1, 42);
    slots.give(3);
    expect(slots.taken).toBe(9);
    expect(slots.take()).toBe(3);
    expect([times.get(3, 0), links.get(3, 1)]).toEqual([NaN, -1]);
    expect(slots.take()).toBe(10);
  });
});
