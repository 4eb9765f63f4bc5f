/** Per listener: one lane per connection (waiting in the accept queue, served, half-closed) over the
 * capture's time span, and below it how many connections were in each of those at once. */
import { fmtCount, fmtDuration, fmtTime, plural } from '../format';
import type { ReportJson } from '../report-model';
import { concurrencyColumns, connActivity, type ConnActivity, type Interval, type Listener } from './listener-activity';
import { html, px, type SafeHtml } from './safe-html';
import { linearScale, timeTicks, xAxis, yCountAxis, type Scale } from './svg-axis';

const WIDTH = 900;
const LEFT = 44;
const RIGHT = WIDTH - 12;
/** Lanes drawn per listener at most; past that every k-th connection is drawn (the counts use all). */
export const MAX_LANES = 300;
const LANES_H = 360;
const CHART_H = 110;

type Part = 'waiting' | 'served' | 'halfClosed';
const SERIES: { part: Part | 'life'; cls: string; words: string }[] = [
  { part: 'life', cls: 'open', words: 'open' },
  { part: 'served', cls: 'served', words: 'served by the application' },
  { part: 'waiting', cls: 'waiting', words: 'waiting in the accept queue' },
  { part: 'halfClosed', cls: 'half', words: 'half-closed (CLOSE_WAIT)' },
];

export function listenerTimeline(listener: Listener, report: ReportJson): SafeHtml {
  const t0 = report.input.first_ts ?? 0;
  const t1 = Math.max(report.input.last_ts ?? t0, t0 + 1e-6);
  const activity = listener.conns.map((c) => connActivity(c, report.thresholds.accept_delay_s, t1));
  const stride = Math.ceil(activity.length / MAX_LANES);
  const lanes = activity.filter((_, i) => i % stride === 0);
  const laneH = Math.max(2, Math.min(12, Math.floor(LANES_H / lanes.length)));
  const x = linearScale(t0, t1, LEFT, RIGHT);
  const lanesBottom = 8 + lanes.length * laneH;
  const axisY = lanesBottom + 6;
  const chartTop = axisY + 34;
  const height = chartTop + CHART_H + 24;
  const ticks = timeTicks(t0, t1, 8);
  const counts = SERIES.map((s) => ({
    ...s, columns: concurrencyColumns(activity.flatMap((a) => intervalOf(a, s.part) ?? []), t0, t1, RIGHT - LEFT),
  }));
  const top = Math.max(1, ...counts[0].columns);
  const y = linearScale(0, top, chartTop + CHART_H, chartTop);
  const sampled = stride > 1 ? ` Every ${ordinal(stride)} of ${fmtCount(activity.length)} connections is drawn; the counts below include all.` : '';
  return html`<figure class="timeline">
<svg viewBox="0 0 ${WIDTH} ${px(height)}" width="${WIDTH}" height="${px(height)}" role="img" aria-label="${`Timeline of the connections of ${listener.endpoint}`}">
${lanes.map((a, i) => lane(a, 8 + i * laneH, laneH, x))}
${xAxis(ticks.values, x, ticks.label, axisY, LEFT, RIGHT)}
<text class="chart-title" x="${LEFT}" y="${chartTop - 8}">connections at once</text>
${yCountAxis(top, y, LEFT - 4)}
${counts.map((s) => html`<path class="count ${s.cls}" d="${stepPath(s.columns, y)}"/>`)}
${xAxis(ticks.values, x, ticks.label, chartTop + CHART_H, LEFT, RIGHT)}
</svg>
<figcaption>${plural(activity.length, 'connection')} by start time (UTC), one lane each.${sampled}
${counts.map((s) => html` <span class="key ${s.cls}">${s.words} (most at once: ${fmtCount(Math.max(0, ...s.columns))})</span>`)}</figcaption>
</figure>`;
}

function lane(a: ConnActivity, top: number, h: number, x: Scale): SafeHtml {
  const bar = (cls: string, iv: Interval | null, inset: number): SafeHtml | null => (iv === null ? null
    : html`<rect class="${cls}" x="${px(x(iv[0]))}" y="${px(top + inset)}" width="${px(Math.max(1, x(iv[1]) - x(iv[0])))}" height="${px(Math.max(1, h - 1 - 2 * inset))}"/>`);
  const part = (words: string, iv: Interval | null): string => (iv ? ` · ${words} ${fmtDuration(iv[1] - iv[0])}` : '');
  const c = a.conn;
  const title = `#${c.id} ${c.client} · ${fmtTime(c.start, false)} → ${fmtTime(c.end, false)} UTC`
    + `${part('waited in the accept queue', a.waiting)}${part('served', a.served)}${part('half-closed', a.halfClosed)} · ${c.conn_state} ${c.history}`;
  return html`<g class="lane" data-connection="${c.id}"><title>${title}</title><line class="life" x1="${px(x(a.life[0]))}" y1="${px(top + h / 2)}" x2="${px(x(a.life[1]))}" y2="${px(top + h / 2)}"/>\
${bar('waiting', a.waiting, 0)}${bar('served', a.served, 0)}${bar('half', a.halfClosed, h / 3)}</g>`;
}

function intervalOf(a: ConnActivity, part: Part | 'life'): Interval[] | null {
  const iv = part === 'life' ? a.life : a[part];
  return iv && [iv];
}

function stepPath(columns: number[], y: Scale): string {
  return columns.map((v, i) => `${i === 0 ? `M${LEFT} ` : 'V'}${px(y(v))}H${LEFT + i + 1}`).join('');
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
