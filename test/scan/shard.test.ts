import { inShard, parseShard } from '../../src/scan/shard';

describe('--shard K/N', () => {
  it('parses K/N with 1 ≤ K ≤ N', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const bad of ['0/3', '4/3', '1', 'a/b', '1/0', '-1/2']) expect(() => parseShard(bad)).toThrow(/--shard/);
  });

  it('puts every key in exactly one shard, the same on every call, and spreads them', () => {
    const keys = Array.from({ length: 600 }, (_, i) => `captures/host${i}/dump.pcap`);
    const count = 4;
    const sizes = Array.from({ length: count }, (_, k) => keys.filter((key) => inShard(key, { index: k + 1, count })).length);
    for (const key of keys) {
      expect(Array.from({ length: count }, (_, k) => inShard(key, { index: k + 1, count })).filter(Boolean)).toHaveLength(1);
    }
    expect(sizes.reduce((a, b) => a + b)).toBe(keys.length);
    for (const n of sizes) expect(n).toBeGreaterThan(100);
  });
});
