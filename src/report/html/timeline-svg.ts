/** Per listener: one lane per connection (waiting in the accept queue, served, half-closed) over the
 * capture's time span, and below it how many connections were in each of those at once. */
import { fmtCount, fmtDuration, fmtTime, plural } from '../../format';
import type { Report } from '../report-model';
import { concurrencyColumns, connActivity, type ConnActivity, type Interval, type Listener } from './listener-activity';
import { html, px, type SafeHtml } from './safe-html';
import { linearScale, timeTicks, xAxis, yCountAxis, type Scale } from './svg-axis';

const WIDTH = 900;
const LEFT = 44;
const RIGHT = WIDTH - 36;
/** Lanes drawn per listener at most; past that every k-th connection is drawn (the counts use all). */
export const MAX_LANES = 150;
const LANES_H = 600;
/** Height of each "at once" strip: one per series, each on its own scale, so that a plateau at 1
 * (a limit of one) is as visible as 120 waiting. */
const STRIP_H = 34;
const STRIP_GAP = 22;

type Part = 'waiting' | 'served' | 'halfClosed';
const SERIES: { part: Part | 'life'; cls: string; words: string }[] = [
  { part: 'served', cls: 'served', words: 'served by the application' },
  { part: 'waiting', cls: 'waiting', words: 'waiting in the accept queue' },
  { part: 'halfClosed', cls: 'half', words: 'half-closed (CLOSE_WAIT)' },
  { part: 'life', cls: 'open', words: 'open' },
];

export function listenerTimeline(listener: Listener, report: Report): SafeHtml {
  const t0 = report.input.first_ts ?? 0;
  const t1 = Math.max(report.input.last_ts ?? t0, t0 + 1e-6);
  const activity = listener.conns.map((c) => connActivity(c, report.thresholds.accept_delay_s, t1));
  const stride = Math.ceil(activity.length / MAX_LANES);
  const lanes = activity.filter((_, i) => i % stride === 0);
  const laneH = Math.max(4, Math.min(12, Math.floor(LANES_H / lanes.length)));
  const x = linearScale(t0, t1, LEFT, RIGHT);
  const axisY = 8 + lanes.length * laneH + 4;
  const stripsTop = axisY + 40;
  const stripsBottom = stripsTop + SERIES.length * (STRIP_H + STRIP_GAP) - STRIP_GAP;
  const height = stripsBottom + 24;
  const ticks = timeTicks(t0, t1, 8);
  const strips = SERIES.map((s, i) => {
    const columns = concurrencyColumns(activity.map((a) => (s.part === 'life' ? a.life : a[s.part])), t0, t1, RIGHT - LEFT);
    return { ...s, columns, most: Math.max(0, ...columns), top: stripsTop + i * (STRIP_H + STRIP_GAP) };
  });
  const sampled = stride > 1 ? ` Every ${ordinal(stride)} of ${fmtCount(activity.length)} connections is drawn; the counts below include all.` : '';
  return html`<figure class="timeline">
<svg viewBox="0 0 ${WIDTH} ${px(height)}" width="${WIDTH}" height="${px(height)}" role="img" aria-label="${`Timeline of the connections of ${listener.endpoint}`}">
${lanes.map((a, i) => lane(a, 8 + i * laneH, laneH, x))}
${xAxis(ticks.values, x, ticks.label, axisY, LEFT, RIGHT)}
${strips.map((s) => strip(s.cls, `${s.words} at once (most: ${fmtCount(s.most)})`, s.columns, s.most, s.top))}
${xAxis(ticks.values, x, ticks.label, stripsBottom + 4, LEFT, RIGHT)}
</svg>
<figcaption>${plural(activity.length, 'connection')} by start time, one lane each; times are UTC.${sampled}</figcaption>
</figure>`;
}

function lane(a: ConnActivity, top: number, h: number, x: Scale): SafeHtml {
  // The half-closed stripe runs under the lane's bar, so a connection both waiting and in CLOSE_WAIT shows both.
  const barH = h - 2;
  const stripe = Math.max(1.5, barH / 4);
  const bar = (cls: string, iv: Interval | null, y: number, height: number): SafeHtml | null => (iv === null ? null
    : html`<rect class="${cls}" x="${px(x(iv[0]))}" y="${px(y)}" width="${px(Math.max(1, x(iv[1]) - x(iv[0])))}" height="${px(height)}"/>`);
  const part = (words: string, iv: Interval | null): string => (iv ? ` · ${words} ${fmtDuration(iv[1] - iv[0])}` : '');
  const c = a.conn;
  const title = `#${c.id} ${c.client} · ${fmtTime(c.start, false)} → ${fmtTime(c.end, false)} UTC`
    + `${part('waited in the accept queue', a.waiting)}${part('served', a.served)}${part('half-closed', a.halfClosed)} · ${c.connState} ${c.history}`;
  return html`<g class="lane" data-connection="${c.id}"><title>${title}</title><line class="life" x1="${px(x(a.life[0]))}" y1="${px(top + barH / 2)}" x2="${px(x(a.life[1]))}" y2="${px(top + barH / 2)}"/>\
${bar('waiting', a.waiting, top, barH - stripe)}${bar('served', a.served, top, barH - stripe)}${bar('half', a.halfClosed, top + barH - stripe, stripe)}</g>`;
}

/** One series as a filled step area on its own 0..most scale. */
function strip(cls: string, label: string, columns: number[], most: number, top: number): SafeHtml {
  const y = linearScale(0, Math.max(1, most), top + STRIP_H, top);
  // A corner only where the count changes: a flat stretch is one segment, however long.
  let path = `M${LEFT} ${top + STRIP_H}V${px(y(columns[0] ?? 0))}`;
  for (let i = 1; i < columns.length; i++) if (columns[i] !== columns[i - 1]) path += `H${LEFT + i}V${px(y(columns[i]))}`;
  path += `H${LEFT + columns.length}V${top + STRIP_H}Z`;
  return html`<text class="strip-title" x="${LEFT}" y="${top - 5}">${label}</text>${yCountAxis([0, Math.max(1, most)], y, LEFT - 4)}\
<line class="baseline" x1="${LEFT}" y1="${top + STRIP_H}" x2="${RIGHT}" y2="${top + STRIP_H}"/><path class="count ${cls}" d="${path}"/>`;
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
