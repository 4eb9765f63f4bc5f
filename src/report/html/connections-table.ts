/** Every connection (up to a cap) in a table the page's script filters and sorts, each with its
 * Wireshark filter ready to copy. */
import { fmtCount, fmtDuration, fmtTime } from '../../format';
import type { ConnectionFacts } from '../../detect/connection-facts';
import { viewOf, type ConnectionJson, type Report } from '../report-model';
import { ENDING_WORDS } from '../report-words';
import { copyButton } from './copyable';
import { html, type SafeHtml } from './safe-html';

/** Rows written at most: a page with a million rows would not open. */
export const MAX_ROWS = 2000;

const HEADINGS = ['#', 'Client', 'Server', 'Start (UTC)', 'Duration', 'Packets c/s', 'conn_state', 'History', 'Ending',
  'Final state c / s', 'Findings', 'Filter'];

export function connectionsSection(report: Report): SafeHtml {
  const kinds = findingKinds(report);
  const rows = pickRows(report.connections.facts, kinds).map((id) => viewOf(report, id));
  const { first_ts: first, last_ts: last } = report.input;
  // The date only when the capture crosses midnight (UTC); the capture line above gives it otherwise.
  const withDate = first !== null && last !== null && fmtTime(first).slice(0, 10) !== fmtTime(last).slice(0, 10);
  const total = report.connections.count;
  const capped = rows.length < total
    ? html`<p class="note">Showing ${fmtCount(rows.length)} of ${fmtCount(total)} connections: those with findings first, then in capture order. The JSON report (--json) has all of them.</p>`
    : null;
  return html`<section id="connections"><h2>Connections</h2>${capped}
<div class="table-tools"><input type="search" id="connections-filter" placeholder="Filter: address, port, state, finding kind… (every word must match)" aria-label="Filter the connections">
<span id="connections-count">${fmtCount(rows.length)} of ${fmtCount(rows.length)} rows</span></div>
<div class="table-scroll"><table id="connections-table"><thead><tr>${HEADINGS.map((h) => html`<th scope="col"><button type="button">${h}</button></th>`)}</tr></thead>
<tbody>
${rows.map((c) => row(c, kinds.get(c.id) ?? [], withDate))}</tbody></table></div>
</section>`;
}

/** Ids of the connections with findings first, up to MAX_ROWS, shown in capture order. */
function pickRows(conns: readonly ConnectionFacts[], kinds: Map<number, string[]>): number[] {
  if (conns.length <= MAX_ROWS) return conns.map((c) => c.id);
  const flagged = conns.filter((c) => kinds.has(c.id)).slice(0, MAX_ROWS);
  const rest = conns.filter((c) => !kinds.has(c.id)).slice(0, MAX_ROWS - flagged.length);
  return [...flagged, ...rest].map((c) => c.id).sort((a, b) => a - b);
}

function findingKinds(report: Report): Map<number, string[]> {
  const kinds = new Map<number, string[]>();
  const { findings } = report;
  for (let i = 0; i < findings.length; i++) {
    const kind = findings.kindOf(i);
    for (const id of findings.connectionsOf(i)) {
      const list = kinds.get(id) ?? [];
      if (!list.includes(kind)) list.push(kind);
      kinds.set(id, list);
    }
  }
  return kinds;
}

function row(c: ConnectionJson, kinds: string[], withDate: boolean): SafeHtml {
  const packets = c.packets.client + c.packets.server;
  return html`<tr><td class="num" data-v="${c.id}">${c.id}</td><td class="mono">${c.client}</td><td class="mono">${c.server}</td>\
<td class="num" data-v="${c.start}">${fmtTime(c.start, withDate)}</td><td class="num" data-v="${c.duration_s}">${fmtDuration(c.duration_s)}</td>\
<td class="num" data-v="${packets}">${fmtCount(c.packets.client)} / ${fmtCount(c.packets.server)}</td><td>${c.conn_state}${c.partial ? ' (partial)' : ''}</td>\
<td class="mono">${c.history}</td><td>${ENDING_WORDS[c.ending]}</td><td>${c.final_state.client ?? '–'} / ${c.final_state.server ?? '–'}</td>\
<td class="kinds">${kinds.map((k) => html`<span class="kind-name">${k}</span> `)}</td><td>${copyButton(c.filter)}</td></tr>
`;
}
