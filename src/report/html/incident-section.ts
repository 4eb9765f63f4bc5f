/** Each incident in detail: its counts and time span, the representative connection's finding and
 * its ladder diagram, so every claim of the summary can be checked against the packets. */
import type { Finding } from '../../detect/finding';
import { detectorFor } from '../../detect/registry';
import { durationRange, type Incident } from '../../detect/run-detectors';
import { fmtCount, fmtDuration, fmtTime, plural } from '../../format';
import { viewOf, type ConnectionJson, type Report } from '../report-model';
import { SEVERITY_LABELS, slotsLine } from '../report-words';
import { copyable } from './copyable';
import { ladderSvg } from './ladder-svg';
import { packetsFromEvents, type ConnectionPackets } from './ladder-packets';
import { GAP_S } from './ladder-layout';
import { html, type SafeHtml } from './safe-html';

/** Incidents shown in detail, each with a ladder; the rest are in the summary and the table. */
export const MAX_DETAILED_INCIDENTS = 20;

/** The connections whose ladders the page draws: what to read back from the capture. */
export function ladderConnections(report: Report): ConnectionJson[] {
  const ids = new Set(report.incidents.slice(0, MAX_DETAILED_INCIDENTS).flatMap((i) => (i.representative === null ? [] : [i.representative])));
  return [...ids].sort((a, b) => a - b).map((id) => viewOf(report, id));
}

/** `packets`: connection id → its packets from the capture; null when the capture could not be read again. */
export function incidentsSection(report: Report, packets: ReadonlyMap<number, ConnectionPackets> | null): SafeHtml {
  if (report.incidents.length === 0) return html``;
  const drawnIn = new Map<number, number>();
  const shown = report.incidents.slice(0, MAX_DETAILED_INCIDENTS);
  const more = report.incidents.length - shown.length;
  return html`<section id="incidents"><h2>Incidents, worst first</h2>
${shown.map((incident, i) => {
    const conn = incident.representative === null ? undefined : viewOf(report, incident.representative);
    const card = incidentCard(report, incident, i + 1, conn, conn && drawnIn.get(conn.id),
      conn && (packets === null ? null : packets.get(conn.id)));
    if (conn && !drawnIn.has(conn.id)) drawnIn.set(conn.id, i + 1);
    return card;
  })}
${more > 0 ? html`<p class="note">${plural(more, 'more incident')} not detailed here: see the summary above and the JSON report (--json).</p>` : null}
</section>`;
}

/** `packets`: null when the capture could not be read again, undefined when it was not. */
function incidentCard(report: Report, incident: Incident, n: number, conn: ConnectionJson | undefined, drawnIn: number | undefined,
  packets: ConnectionPackets | null | undefined): SafeHtml {
  const findings = incident.finding_indices.map((i) => report.findings.at(i));
  const finding = findings.find((f) => f.connection === conn?.id || (conn && f.connections?.includes(conn.id))) ?? findings[0];
  const d = incident.duration;
  // The root cause's explanation is on the first screen already (summary-section).
  const shownAbove = incident.severity === 'critical' && finding === findings[0];
  return html`<article class="incident sev-${incident.severity}" id="incident-${n}">
<h3><span class="label">${SEVERITY_LABELS[incident.severity]}</span> ${incident.summary}</h3>
<p class="kind">${incident.kind}: ${detectorFor(incident.kind).title} (<code>tcpteardown explain ${incident.kind}</code>)</p>
<dl class="facts">
${incident.listener ? html`<dt>Listener</dt><dd class="mono">${incident.listener}</dd>` : null}
<dt>Findings</dt><dd>${fmtCount(incident.findings)} on ${plural(incident.connections, 'connection')}</dd>
<dt>When</dt><dd>${fmtTime(incident.first_at)}${incident.last_at > incident.first_at ? ` → ${fmtTime(incident.last_at, false)}` : ''} UTC</dd>
${d ? html`<dt>Durations</dt><dd>${durationRange(d)} (median ${fmtDuration(d.median)}, p95 ${fmtDuration(d.p95)})${incident.lower_bounds > 0 ? `; ${fmtCount(incident.lower_bounds)} still going when the capture ended` : ''}</dd>` : null}
</dl>
${conn ? representative(conn, finding, drawnIn, packets, shownAbove) : findingText(finding, shownAbove)}
</article>
`;
}

function findingText(finding: Finding, shownAbove: boolean): SafeHtml {
  const slots = slotsLine(finding);
  const explained = shownAbove ? html`<p class="note">Explained <a href="#summary">at the top</a>.</p>`
    : html`<p class="explanation">${finding.explanation}</p>${slots === null ? null : html`<p>${slots}</p>`}`;
  return html`<p>${finding.summary}</p>${explained}
<p>Evidence frames: ${copyable(finding.filter)}</p>`;
}

function representative(conn: ConnectionJson, finding: Finding, drawnIn: number | undefined, packets: ConnectionPackets | null | undefined,
  shownAbove: boolean): SafeHtml {
  const heading = html`<h4>Connection #${conn.id}: ${conn.client} → ${conn.server}</h4>${findingText(finding, shownAbove)}
<p>This connection: ${copyable(conn.filter)}</p>`;
  if (drawnIn !== undefined) return html`${heading}<p class="note">Its ladder diagram is in <a href="#incident-${drawnIn}">incident ${drawnIn}</a>.</p>`;
  const drawn = packets ?? packetsFromEvents(conn);
  const evidence = new Set(finding.frames);
  const omitted = drawn.total - drawn.head.length - drawn.tail.length;
  return html`${heading}<figure class="ladder-figure">${ladderSvg(conn, drawn, evidence)}
<figcaption>${plural(drawn.total, drawn.source === 'capture' ? 'packet' : 'teardown event')} (frames ${fmtCount(conn.first_frame)}–${fmtCount(conn.last_frame)}; Zeek history ${conn.history}, conn_state ${conn.conn_state}).
Seq and Ack are relative to each side's initial sequence number; silences of ${fmtDuration(GAP_S)} or more are compressed and labelled with their length;
red arrows are the frames the finding cites; the bars on the lifelines are each side's TCP state.
${conn.partial ? 'The capture starts in the middle of this connection: states marked ? are inferred. ' : ''}${omitted > 0 ? `The ${fmtCount(omitted)} packets in the middle are not drawn. ` : ''}${drawn.source === 'events'
    ? (packets === null ? 'The capture came from standard input and could not be read a second time, so only the report\'s teardown events are drawn, not every packet.'
      : 'Only the report\'s teardown events are drawn, not every packet.') : ''}</figcaption></figure>`;
}
