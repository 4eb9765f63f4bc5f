import { fmtBytes, fmtCount, fmtDuration, fmtTime, plural } from '../format';
import type { FindingCounts, IndexFile, ScanIndex } from './index-model';
import { CSP, SORT_SCRIPT, STYLE } from './index-html-assets';
import { worstFirst, worstScore } from './worst-first';
import { escapeHtml } from '../report/html/safe-html';

/** index.html: one self-contained page (no fetches, no external files), every text escaped. Files
 * come worst first; every table sorts by a click on its column headings. */
export function indexHtml(index: ScanIndex): string {
  const t = index.totals;
  const files = [...index.files].sort(worstFirst);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tcpteardown scan: ${escapeHtml(plural(t.files, 'capture'))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>tcpteardown scan</h1>
<p class="meta">${escapeHtml(summaryLine(index))}</p>
<h2>Captures</h2>
${table(['File', 'Status', 'Start', 'Duration', 'Size', 'Packets', 'Connections', 'Critical', 'Warning', 'Info', 'Worst incidents'],
    ['text', 'num', 'num', 'num', 'num', 'num', 'num', 'num', 'num', 'num', 'num'], files.map(fileRow))}
${t.by_listener.length === 0 ? '' : `<h2>Listeners</h2>
${table(['Listener', 'Captures', 'Findings', 'Critical', 'Warning', 'Info', 'Kinds'], ['text', 'num', 'num', 'num', 'num', 'num', 'text'],
    t.by_listener.map((l) => [cell(l.listener), num(l.files), num(l.findings.total), ...severityCells(l.findings), cell(kinds(l.findings))]))}`}
${t.by_kind.length === 0 ? '' : `<h2>Finding kinds</h2>
${table(['Kind', 'Findings', 'Captures'], ['text', 'num', 'num'], t.by_kind.map((k) => [cell(k.kind), num(k.findings), num(k.files)]))}`}
${index.skipped.length === 0 ? '' : `<h2>Skipped</h2>
${table(['File', 'Why'], ['text', 'text'], index.skipped.map((s) => [cell(s.file), cell(s.reason)]))}`}
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}

function summaryLine(index: ScanIndex): string {
  const t = index.totals;
  const parts = [
    `${index.inputs.join(' ')}`,
    `${plural(t.captures, 'capture')} in ${plural(t.files, 'entry', 'entries')}`,
    `${fmtBytes(t.size_bytes)}`,
    `${plural(t.packets, 'packet')}`,
    `${plural(t.connections, 'connection')}`,
    `findings: ${severities(t.findings)}`,
  ];
  if (t.by_status.warning > 0) parts.push(`${fmtCount(t.by_status.warning)} damaged`);
  if (t.by_status.error > 0) parts.push(`${fmtCount(t.by_status.error)} unreadable`);
  if (t.skipped > 0) parts.push(`${fmtCount(t.skipped)} skipped`);
  parts.push(`merge ${index.options.merge}`);
  if (index.shard) parts.push(`shard ${index.shard.index}/${index.shard.count}`);
  return parts.join(' · ');
}

type Cell = string;

function fileRow(f: IndexFile): Cell[] {
  const link = f.reports ? `<a href="${escapeHtml(encodeURI(f.reports.html))}">${escapeHtml(f.file)}</a> <a class="note" href="${escapeHtml(encodeURI(f.reports.json))}">json</a>` : escapeHtml(f.file);
  const members = f.members ? `<div class="note">merged, in order: ${f.members.map(escapeHtml).join(', ')}</div>` : '';
  const duration = f.first_ts !== null && f.last_ts !== null ? f.last_ts - f.first_ts : null;
  const details = f.status === 'error' ? [`<span class="error">${escapeHtml(f.error ?? '')}</span>`]
    : [...(f.warnings ?? []).map((w) => `<span class="warning">${escapeHtml(w)}</span>`),
      ...f.worst.map((i) => `<span class="sev ${i.severity}">${i.severity}</span> ${escapeHtml(i.summary)}`)];
  return [
    cell(f.file, `${link}${members}`),
    cell(String({ ok: 0, warning: 1, error: 2 }[f.status]), `<span class="${f.status}">${f.status}</span>`),
    cell(String(f.first_ts ?? ''), f.first_ts === null ? '' : escapeHtml(fmtTime(f.first_ts, true, 0))),
    cell(String(duration ?? ''), duration === null ? '' : escapeHtml(fmtDuration(duration))),
    cell(String(f.size_bytes), escapeHtml(fmtBytes(f.size_bytes))),
    num(f.packets),
    num(f.connections),
    ...severityCells(f.findings),
    cell(String(worstScore(f.findings)), details.map((d) => `<div>${d}</div>`).join('')),
  ];
}

function table(headings: string[], types: ('text' | 'num')[], rows: Cell[][]): string {
  const head = headings.map((h, i) => `<th data-type="${types[i]}" tabindex="0">${escapeHtml(h)}</th>`).join('');
  return `<table class="sortable">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}\n</tbody>\n</table>`;
}

/** A cell sorted by `value`, showing `html` (by default the value itself, escaped). */
function cell(value: string, html = escapeHtml(value)): Cell {
  return `<td data-v="${escapeHtml(value)}">${html}</td>`;
}

function num(n: number): Cell {
  return cell(String(n), escapeHtml(fmtCount(n)));
}

function severityCells(c: FindingCounts): Cell[] {
  return (['critical', 'warning', 'info'] as const).map((s) => cell(String(c.by_severity[s]),
    c.by_severity[s] === 0 ? '' : `<span class="sev ${s}">${escapeHtml(fmtCount(c.by_severity[s]))}</span>`));
}

function severities(c: FindingCounts): string {
  return (['critical', 'warning', 'info'] as const).map((s) => `${fmtCount(c.by_severity[s])} ${s}`).join(', ');
}

function kinds(c: FindingCounts): string {
  return Object.entries(c.by_kind).map(([k, n]) => `${k} ${fmtCount(n)}`).join(', ');
}

