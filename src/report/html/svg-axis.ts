/** Scales and axes shared by the timeline and the histograms. */
import { tickStep, ticks } from 'd3-array';
import { fmtTime } from '../../format';
import { html, px, type SafeHtml } from './safe-html';

export type Scale = (v: number) => number;

export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Logarithmic, for positive domains; values below d0 sit at r0. */
export function logScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const at = linearScale(Math.log10(d0), Math.log10(d1), r0, r1);
  return (v) => at(Math.log10(Math.max(v, d0)));
}

/** Tick marks and labels along a horizontal axis at `y`. */
export function xAxis(values: readonly number[], x: Scale, label: (v: number) => string, y: number, x0: number, x1: number): SafeHtml {
  return html`<g class="axis"><line x1="${px(x0)}" y1="${y}" x2="${px(x1)}" y2="${y}"/>${values.map((v) => html`<line x1="${px(x(v))}" y1="${y}" x2="${px(x(v))}" y2="${y + 4}"/><text x="${px(x(v))}" y="${y + 15}" text-anchor="middle">${label(v)}</text>`)}</g>`;
}

/** Ticks at round times of day (UTC), with as many decimals as the step needs. */
export function timeTicks(t0: number, t1: number, count: number): { values: number[]; label: (t: number) => string } {
  const step = tickStep(0, Math.max(t1 - t0, 1e-6), count);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const base = Math.floor(t0);
  const values = ticks(t0 - base, t1 - base, count).map((v) => base + v);
  return { values, label: (t) => fmtTime(t, false, decimals) };
}

/** A few round counts from 0 to `max`. */
export function countTicks(max: number): number[] {
  return ticks(0, Math.max(max, 1), 3).filter((v) => Number.isInteger(v));
}

/** Count labels on the left of a chart. */
export function yCountAxis(values: readonly number[], y: Scale, x: number): SafeHtml {
  return html`<g class="axis">${values.map((v) => html`<line class="grid" x1="${x}" y1="${px(y(v))}" x2="${x + 4}" y2="${px(y(v))}"/><text x="${x - 3}" y="${px(y(v) + 4)}" text-anchor="end">${v}</text>`)}</g>`;
}

/** Short duration labels for axes: 10µs, 2ms, 500ms, 20s, 5min. */
export function axisDuration(seconds: number): string {
  const round = (v: number): string => String(Number(v.toPrecision(3)));
  if (seconds === 0) return '0';
  if (seconds < 1e-3) return `${round(seconds * 1e6)}µs`;
  if (seconds < 1) return `${round(seconds * 1e3)}ms`;
  if (seconds < 600) return `${round(seconds)}s`;
  return `${round(seconds / 60)}min`;
}
