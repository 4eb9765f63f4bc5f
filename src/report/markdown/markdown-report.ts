/** The summary and the incidents as Markdown, for a postmortem document or a ticket: the terminal's
 * first screen, then each incident with its numbers, its representative connection and the filters. */
import { detectorFor } from '../../detect/registry';
import { durationRange, type Incident } from '../../detect/run-detectors';
import { fmtCount, fmtDuration, fmtTime, plural } from '../../format';
import { viewOf, type Report } from '../report-model';
import {
  captureLine, connectionsLine, damageLines, foldSymptoms, headline, noIncidentLine, SEVERITY_LABELS, skippedLine, slotsLine,
  teardownFilter,
} from '../report-words';
import { mdCode, mdParagraph, mdText } from './markdown-text';

export function markdownReport(report: Report): string {
  const { input, incidents } = report;
  const folded = foldSymptoms(report);
  const out = [`# How the TCP connections of ${mdCode(input.file === '-' ? 'standard input' : input.file)} ended`, '', mdParagraph(captureLine(report)), ''];
  if (incidents.length === 0) out.push(mdParagraph(noIncidentLine(report)), '');
  for (const incident of incidents) {
    if (folded.has(incident)) continue;
    out.push(`- **${SEVERITY_LABELS[incident.severity]}** ${mdText(headline(incident, folded))}`);
    if (incident.severity === 'critical') out.push(...evidence(report, incident).flatMap((p) => ['', `  ${p}`]));
  }
  out.push('', ...[connectionsLine(report), skippedLine(report), ...damageLines(report)].flatMap((l) => (l === null ? [] : [mdParagraph(l), ''])));
  if (incidents[0]?.listener) out.push(`Wireshark: ${mdCode(teardownFilter(incidents[0].listener))}`, '');
  if (incidents.length > 0) out.push('## Incidents, worst first', '');
  incidents.forEach((incident, i) => out.push(...details(report, incident, i + 1), ''));
  out.push(`_Written by tcpteardown ${mdText(report.tool.version)} (${mdText(report.schema)}). Times are UTC._`, '');
  return out.join('\n');
}

function evidence(report: Report, incident: Incident): string[] {
  const finding = report.findings.at(incident.finding_indices[0]);
  const slots = slotsLine(finding);
  return [...finding.explanation.split('\n'), ...(slots === null ? [] : [slots])].map(mdParagraph);
}

function details(report: Report, incident: Incident, n: number): string[] {
  const conn = incident.representative === null ? undefined : viewOf(report, incident.representative);
  const findings = incident.finding_indices.map((i) => report.findings.at(i));
  const finding = findings.find((f) => conn && (f.connection === conn.id || f.connections?.includes(conn.id))) ?? findings[0];
  const d = incident.duration;
  const lines = [
    `### ${n}. ${SEVERITY_LABELS[incident.severity]}: ${mdText(incident.summary)}`, '',
    `- **Kind:** ${incident.kind} (${mdText(detectorFor(incident.kind).title)}; \`tcpteardown explain ${incident.kind}\`)`,
    ...(incident.listener ? [`- **Listener:** ${mdCode(incident.listener)}`] : []),
    `- **Findings:** ${fmtCount(incident.findings)} on ${plural(incident.connections, 'connection')}`,
    `- **When:** ${fmtTime(incident.first_at)}${incident.last_at > incident.first_at ? ` → ${fmtTime(incident.last_at, false)}` : ''} UTC`,
    ...(d ? [`- **Durations:** ${mdText(durationRange(d))} (median ${fmtDuration(d.median)}, p95 ${fmtDuration(d.p95)})`
      + `${incident.lower_bounds > 0 ? `; ${fmtCount(incident.lower_bounds)} still going when the capture ended` : ''}`] : []),
    ...(conn ? [`- **Representative connection:** \\#${conn.id} ${mdCode(conn.client)} → ${mdCode(conn.server)}, ${mdCode(conn.filter)}`] : []),
    `- **Evidence frames:** ${mdCode(finding.filter)}`,
    '', mdParagraph(finding.summary),
  ];
  return [...lines, ...finding.explanation.split('\n').flatMap((p) => ['', mdParagraph(p)])];
}
