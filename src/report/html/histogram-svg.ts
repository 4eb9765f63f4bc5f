/** One duration distribution as an inline SVG histogram, with its median, p95 and the detector's
 * threshold marked. */
import { fmtDuration, plural } from '../../format';
import { binDurations } from './histogram-bins';
import { html, px, type SafeHtml } from './safe-html';
import { axisDuration, countTicks, linearScale, logScale, xAxis, yCountAxis } from './svg-axis';
import type { Sample } from './teardown-samples';

const WIDTH = 340;
const HEIGHT = 190;
const LEFT = 34;
const RIGHT = WIDTH - 22;
const TOP = 46;
const BASE = HEIGHT - 28;

export function histogramFigure(sample: Sample): SafeHtml {
  if (sample.values.length === 0) {
    return html`<figure class="histogram"><figcaption><b>${sample.title}</b>: no connection to measure (${sample.what}).</figcaption></figure>`;
  }
  const b = binDurations(sample.values);
  const x = (b.log ? logScale : linearScale)(b.lo, b.hi, LEFT, RIGHT);
  const most = Math.max(1, ...b.bins.map((bin) => bin.count));
  const y = linearScale(0, most, BASE, TOP);
  const markers: [string, number][] = [['median', b.median], ['p95', b.p95], ['threshold', sample.thresholdS]];
  return html`<figure class="histogram">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${`Histogram of ${sample.title.toLowerCase()}`}">
<text class="chart-title" x="${LEFT}" y="12">${sample.title}${b.log ? ' (log scale)' : ''}</text>
${b.bins.map((bin) => html`<rect class="bar" x="${px(x(bin.x0) + 0.5)}" y="${px(y(bin.count))}" width="${px(Math.max(1, x(bin.x1) - x(bin.x0) - 1))}" height="${px(BASE - y(bin.count))}"><title>${fmtDuration(bin.x0)} – ${fmtDuration(bin.x1)}: ${plural(bin.count, 'connection')}</title></rect>`)}
${markers.filter(([, v]) => v >= b.lo && v <= b.hi).map(([name, v], i) => marker(name, x(v), 16 + i * 11))}
${yCountAxis(countTicks(most), y, LEFT - 4)}
${xAxis(b.ticks, x, axisDuration, BASE, LEFT, RIGHT)}
</svg>
<figcaption>${plural(sample.values.length, 'connection')}: ${sample.what}. Median ${fmtDuration(b.median)}, p95 ${fmtDuration(b.p95)}, max ${fmtDuration(b.max)};
the ${sample.thresholdKind} threshold is ${fmtDuration(sample.thresholdS)}.</figcaption>
</figure>`;
}

/** A labelled vertical line; labels are stacked so that close markers stay readable. */
function marker(name: string, at: number, labelY: number): SafeHtml {
  const right = at > (LEFT + RIGHT) / 2;
  return html`<line class="marker ${name}" x1="${px(at)}" y1="${labelY + 2}" x2="${px(at)}" y2="${BASE}"/>\
<text class="marker-label ${name}" x="${px(right ? at - 3 : at + 3)}" y="${labelY}" text-anchor="${right ? 'end' : 'start'}">${name}</text>`;
}
