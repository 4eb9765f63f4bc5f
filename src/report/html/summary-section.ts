/** The top of the page, in the terminal's order and words: what was read, the incidents worst first
 * (the root cause with its evidence), then the counts. */
import { fmtDuration } from '../../format';
import type { Report } from '../report-model';
import {
  captureLine, connectionsLine, damageLines, foldSymptoms, headline, noIncidentLine, SEVERITY_LABELS, skippedLine, slotsLine,
  teardownFilter,
} from '../report-words';
import { copyable } from './copyable';
import { html, type SafeHtml } from './safe-html';

export function summarySection(report: Report): SafeHtml {
  const { input, incidents, thresholds: t } = report;
  const folded = foldSymptoms(report);
  const worst = incidents[0];
  return html`<header>
<h1>How the TCP connections of <span class="mono">${input.file === '-' ? 'standard input' : input.file}</span> ended</h1>
<p class="capture">${captureLine(report)}</p>
<p class="meta">Thresholds: half-close ${fmtDuration(t.half_close_s)}, late FIN ${fmtDuration(t.late_fin_s)}, accept delay ${fmtDuration(t.accept_delay_s)}, zero window ${fmtDuration(t.zero_window_s)}, saturation from ${t.saturation_min_waiting} waiting connections. Times are UTC.</p>
</header>
<section id="summary" aria-label="Summary">
${incidents.length === 0 ? html`<p>${noIncidentLine(report)}</p>` : html`<ol class="headlines">
${incidents.map((incident, i) => (folded.has(incident) ? null : html`<li class="sev-${incident.severity}"><span class="label">${SEVERITY_LABELS[incident.severity]}</span> <a href="#incident-${i + 1}">${headline(incident, folded)}</a>${incident.severity === 'critical' ? evidence(report, incident.finding_indices[0]) : null}</li>
`))}</ol>`}
<p>${connectionsLine(report)}</p>
${[skippedLine(report), ...damageLines(report)].map((line) => (line === null ? null : html`<p>${line}</p>`))}
${worst?.listener ? html`<p>Wireshark: ${copyable(teardownFilter(worst.listener))}</p>` : null}
</section>`;
}

/** The root cause's explanation and who held the slots, under its headline. */
function evidence(report: Report, findingIndex: number): SafeHtml {
  const finding = report.findings.at(findingIndex);
  const slots = slotsLine(finding);
  return html`<div class="evidence-text">${finding.explanation.split('\n').map((p) => html`<p>${p}</p>`)}${slots === null ? null : html`<p>${slots}</p>`}</div>`;
}
