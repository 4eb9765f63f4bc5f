/** Duration histograms: bins on a scale that suits the values, quantiles, the detector's threshold. */
import { binDurations } from '../../src/report/html/histogram-bins';
import { histogramFigure } from '../../src/report/html/histogram-svg';
import { axisDuration } from '../../src/report/html/svg-axis';
import { teardownSamples } from '../../src/report/html/teardown-samples';
import { reportOf } from '../support/detect-helper';
import { incidentScripts } from '../support/incident-script';

const total = (values: number[]): number => binDurations(values).bins.reduce((n, b) => n + b.count, 0);

describe('duration histograms', () => {
  it('bins narrow ranges linearly from 0, every value counted, the maximum in the last bin', () => {
    const values = [0, 29.5, 40, 60, 89, 90];
    const b = binDurations(values);
    expect(b.log).toBe(false);
    expect([b.lo, b.hi]).toEqual([0, 90]);
    expect(total(values)).toBe(values.length);
    expect(b.bins[b.bins.length - 1]).toMatchObject({ x1: 90, count: 2 });
    expect(b.bins.every((bin) => bin.x1 > bin.x0)).toBe(true);
  });

  it('bins ranges of two decades or more on a log scale, zeros in the first bin', () => {
    const values = [0, 0.0002, 0.001, 1.5, 1.5, 90];
    const b = binDurations(values);
    expect(b.log).toBe(true);
    expect([b.lo, b.hi]).toEqual([0.0001, 100]);
    expect(b.bins.slice(0, 4).map((bin) => bin.x0)).toEqual([0.0001, 0.00015, 0.0002, 0.0003]);
    expect(b.bins[0].count).toBe(1);
    expect(total(values)).toBe(values.length);
  });

  it('reports median, p95 and max as d3-array computes them', () => {
    const b = binDurations([4, 1, 3, 2]);
    expect([b.median, b.max]).toEqual([2.5, 4]);
    expect(b.p95).toBeCloseTo(3.85, 9);
  });

  it('labels axes briefly', () => {
    expect([0, 0.00002, 0.0015, 0.5, 20, 900].map(axisDuration)).toEqual(['0', '20µs', '1.5ms', '500ms', '20s', '15min']);
  });

  it('measures every connection of the incident, and marks the thresholds the detectors used', async () => {
    const report = await reportOf(incidentScripts({ checks: 40 }));
    const [halfClose, finDelay, acceptDelay] = teardownSamples(report);
    expect(halfClose.values).toHaveLength(41);
    expect(finDelay.values).toHaveLength(41);
    expect(acceptDelay.values.filter((v) => v > 60)).toHaveLength(40);
    const svg = histogramFigure(acceptDelay).text;
    expect(svg.split('<rect class="bar"').length - 1).toBe(binDurations(acceptDelay.values).bins.length);
    expect(svg).toContain('class="marker threshold"');
    expect(svg).toContain('the accept-delay threshold is 5.00 s');
  });

  it('says so when there is nothing to measure', () => {
    const figure = histogramFigure({ title: 'FIN delays', what: 'x', values: [], thresholdS: 5, thresholdKind: 'late-fin' }).text;
    expect(figure).toContain('no connection to measure');
    expect(figure).not.toContain('<svg');
  });
});
