/** The page's only style sheet, inlined. Colours carry meaning (severity, what a connection was doing)
 * and are kept when printing. */
export const STYLES = `
:root { color-scheme: light; --critical: #b3122f; --warning: #a65f00; --info: #5f6b7a; --served: #2f6fb3; --waiting: #e09b1a;
  --half: #c8372d; --open: #9aa5b1; --est: #3b9a57; --closer: #4a7fc1; --reset: #c8372d; --line: #d5dbe1; --muted: #5f6b7a; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d252d; background: #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 6px; }
h4 { font-size: 14px; margin: 14px 0 4px; }
p { margin: 4px 0; }
.mono, code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
code { font-size: 12px; background: #f2f4f6; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
a { color: #1f5fa8; }
.capture, .meta { color: var(--muted); }
.capture { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; color: #1d252d; }
.label { display: inline-block; min-width: 76px; font-weight: 700; font-size: 12px; letter-spacing: .04em; }
.sev-critical .label { color: var(--critical); } .sev-warning .label { color: var(--warning); } .sev-info .label { color: var(--info); }
ol.headlines { list-style: none; padding: 0; margin: 12px 0; }
ol.headlines > li { padding: 6px 0 6px 10px; border-left: 4px solid var(--line); margin-bottom: 6px; }
ol.headlines > li.sev-critical { border-color: var(--critical); background: #fdf3f4; }
ol.headlines > li.sev-warning { border-color: var(--warning); }
ol.headlines a { color: inherit; text-decoration: none; } ol.headlines a:hover { text-decoration: underline; }
.evidence-text { margin: 4px 0 0 80px; }
.incident { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 4px; padding: 12px 14px; margin: 14px 0; break-inside: avoid-page; }
.incident.sev-critical { border-left-color: var(--critical); } .incident.sev-warning { border-left-color: var(--warning); }
.kind { color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.explanation { white-space: pre-line; }
figure { margin: 10px 0; }
figcaption { color: var(--muted); font-size: 12.5px; max-width: 900px; }
svg { max-width: 100%; height: auto; display: block; font-family: system-ui, "DejaVu Sans", sans-serif; }
svg text { font-size: 11px; fill: #1d252d; }
svg .frame, svg .time { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 10.5px; fill: var(--muted); }
svg .role { fill: var(--muted); font-size: 11px; } svg .host { font-weight: 700; font-size: 12px; }
svg line.life { stroke: #b8c1ca; stroke-width: 1; }
.pkt line { stroke: #1d252d; stroke-width: 1.2; } .pkt .head { fill: #1d252d; }
.pkt.evidence line { stroke: var(--critical); stroke-width: 2; } .pkt.evidence .head { fill: var(--critical); } .pkt.evidence .flags { fill: var(--critical); font-weight: 700; }
.flag-names { font-weight: 700; }
.gap text, .omitted text { fill: var(--muted); font-style: italic; }
rect.break { fill: #fff; } path.zigzag { stroke: #8a96a3; fill: none; }
rect.state { opacity: .85; }
.st-open { fill: #8c6bc8; } .st-est { fill: var(--est); } .st-closer { fill: var(--closer); } .st-wait { fill: var(--waiting); }
.st-closed { fill: var(--open); } .st-reset { fill: var(--reset); }
text.state-name { font-size: 10px; font-weight: 700; }
text.st-wait { fill: #9a6100; } text.st-est { fill: #2c7543; } text.st-closer { fill: #2f5f9e; } text.st-reset { fill: var(--reset); } text.st-open { fill: #6b4fa3; } text.st-closed { fill: var(--muted); }
.axis line { stroke: #8a96a3; } .axis text { font-size: 10px; fill: var(--muted); }
.chart-title { font-weight: 700; }
.lane line.life { stroke: var(--open); stroke-width: 1; }
rect.waiting { fill: var(--waiting); } rect.served { fill: var(--served); } rect.half { fill: var(--half); }
path.count.open { fill: var(--open); } path.count.served { fill: var(--served); } path.count.waiting { fill: var(--waiting); } path.count.half { fill: var(--half); }
.strip-title { font-size: 10.5px; fill: var(--muted); } line.baseline { stroke: #8a96a3; }
.key { white-space: nowrap; }
.key::before { content: ""; display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 8px; vertical-align: -1px; background: var(--open); }
.key.served::before { background: var(--served); } .key.waiting::before { background: var(--waiting); } .key.half::before { background: var(--half); }
.histograms { display: flex; flex-wrap: wrap; gap: 12px 20px; }
.histogram { width: 340px; margin: 0; }
rect.bar { fill: #6d8fb3; }
line.marker { stroke-width: 1.2; } line.median { stroke: #1d252d; } line.p95 { stroke: #1d252d; stroke-dasharray: 2 2; }
line.threshold { stroke: var(--critical); stroke-dasharray: 5 3; } text.marker-label { font-size: 9.5px; } text.threshold { fill: var(--critical); }
.table-tools { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
#connections-filter { font: inherit; padding: 4px 8px; width: 420px; max-width: 100%; border: 1px solid #aab4be; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e6eaee; vertical-align: top; }
th { position: sticky; top: 0; background: #f7f9fa; }
th button { font: inherit; font-weight: 700; border: 0; background: none; padding: 0; cursor: pointer; color: inherit; }
th[aria-sort=ascending] button::after { content: " ▲"; } th[aria-sort=descending] button::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.kind-name { white-space: nowrap; }
td.kinds { min-width: 230px; }
.table-scroll { overflow-x: auto; }
button.copy { font-size: 11px; padding: 0 6px; margin-left: 4px; border: 1px solid #aab4be; border-radius: 3px; background: #fff; cursor: pointer; }
.note { color: var(--muted); font-style: italic; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media print {
  body { font-size: 11px; } main { max-width: none; padding: 0; }
  button, .table-tools input { display: none; }
  th { position: static; }
  h2 { break-after: avoid; } figure, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
