import { continuousRuns, type InspectedCapture } from '../../src/scan/capture-sets';
import type { Probe } from '../../src/scan/probe';

const T = 1_795_620_000;

function capture(name: string, firstS: number | null, lastS: number | null, probe: Partial<Probe> = {}): InspectedCapture {
  return {
    file: { path: `d/${name}`, dir: 'd', name, sizeBytes: 100, explicit: false },
    gzip: false,
    probe: {
      format: 'pcap', byteOrder: 'LE', linkTypes: [1], damaged: false, bytes: 100,
      firstTs: firstS === null ? null : T + firstS, lastTs: lastS === null ? null : T + lastS, ...probe,
    },
  };
}

function runs(...captures: InspectedCapture[]): string[][] {
  return continuousRuns(captures).map((run) => run.map((c) => c.file.name));
}

describe('continuousRuns', () => {
  it('chains files in time order, whatever their names say (a wrapped ring)', () => {
    expect(runs(capture('d0', 200, 299), capture('d1', 0, 99), capture('d2', 100, 199))).toEqual([['d1', 'd2', 'd0']]);
  });

  it('allows gaps and a file starting at the exact time the previous one ended', () => {
    expect(runs(capture('a', 0, 10), capture('b', 10, 20), capture('c', 3600, 3700))).toEqual([['a', 'b', 'c']]);
  });

  it('breaks where files overlap in time (two recorders, a copy)', () => {
    expect(runs(capture('a', 0, 100), capture('b', 50, 150), capture('c', 150, 200))).toEqual([['a'], ['b', 'c']]);
  });

  it('compares with the latest packet so far, not only the previous file’s', () => {
    expect(runs(capture('a', 0, 100), capture('b', 100, 100), capture('c', 100, 130))).toEqual([['a', 'b', 'c']]);
  });

  it('breaks on other link types, formats or byte orders', () => {
    expect(runs(capture('a', 0, 1), capture('b', 2, 3, { linkTypes: [113] }))).toEqual([['a'], ['b']]);
    expect(runs(capture('a', 0, 1), capture('b', 2, 3, { format: 'pcap-nsec' }))).toEqual([['a'], ['b']]);
    expect(runs(capture('a', 0, 1), capture('b', 2, 3, { byteOrder: 'BE' }))).toEqual([['a'], ['b']]);
  });

  it('pcapng files chain whatever their byte order; their interfaces must match as a set', () => {
    const ng = (name: string, first: number, probe: Partial<Probe>): InspectedCapture => capture(name, first, first + 1, { format: 'pcapng', ...probe });
    expect(runs(ng('a', 0, { linkTypes: [1, 113] }), ng('b', 2, { byteOrder: 'BE', linkTypes: [113, 1, 1] }))).toEqual([['a', 'b']]);
  });

  it('a damaged file ends its run: what follows the damage is missing', () => {
    expect(runs(capture('a', 0, 1, { damaged: true }), capture('b', 2, 3), capture('c', 4, 5, { damaged: true }))).toEqual([['a'], ['b', 'c']]);
  });

  it('files without packets stay alone', () => {
    expect(runs(capture('empty', null, null), capture('a', 0, 1), capture('b', 2, 3))).toEqual([['a', 'b'], ['empty']]);
  });
});
