/** The words of the first screen, shared by the terminal, HTML and Markdown writers so that all three
 * say the same thing in the same order. Plain text: each writer escapes and lays it out. */
import type { Finding, FindingKind, Severity } from '../detect/finding';
import type { Incident } from '../detect/run-detectors';
import { fmtBytes, fmtCount, fmtDuration, fmtTime, plural } from '../format';
import { DEFAULT_THRESHOLDS } from '../detect/thresholds';
import { thresholdsJson } from './build-report';
import type { Ending, Report, ThresholdsJson } from './report-model';

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' };

/** Symptoms told inside another incident's line when they concern (nearly) the same connections. */
const FOLDS: Partial<Record<FindingKind, { into: FindingKind; words: string }>> = {
  'late-fin': { into: 'half-closed', words: 'late FIN' },
  'accept-delay': { into: 'half-closed', words: 'accept delay' },
};
const FOLD_SHARE = 0.9;

export const ENDING_WORDS: Record<Ending, string> = {
  fin: 'closed normally',
  'fin-rst': 'FIN and RST',
  rst: 'reset',
  'half-closed': 'half-closed at the end',
  open: 'still open at the end',
  unanswered: 'never answered',
};

/** The ids of the connections an incident concerns. */
export function connectionsOf(report: Report, incident: Incident): Set<number> {
  return new Set(incident.finding_indices.flatMap((i) => report.findings.connectionsOf(i)));
}

/** Which incidents to tell inside which other one (see FOLDS). */
export function foldSymptoms(report: Report): Map<Incident, Incident> {
  const folded = new Map<Incident, Incident>();
  for (const incident of report.incidents) {
    const rule = FOLDS[incident.kind];
    const into = rule && report.incidents.find((i) => i.kind === rule.into && i.listener === incident.listener
      && i.severity === incident.severity);
    if (!into) continue;
    const host = connectionsOf(report, into);
    const own = [...connectionsOf(report, incident)];
    if (own.filter((c) => host.has(c)).length >= FOLD_SHARE * own.length) folded.set(incident, into);
  }
  return folded;
}

/** An incident's one-line headline, with the symptoms folded into it. */
export function headline(incident: Incident, folded: Map<Incident, Incident>): string {
  const also = [...folded].filter(([, into]) => into === incident).map(([i]) => plural(i.findings, FOLDS[i.kind]?.words ?? i.kind));
  return also.length > 0 ? `${incident.summary}; the same connections show ${also.join(' and ')}` : incident.summary;
}

/** The connections that held a saturated listener's slots, or null for other findings. */
export function slotsLine(finding: Finding): string | null {
  if (!finding.held_by || finding.held_by.length === 0) return null;
  const slots = finding.held_by.slice(0, 4).map((h) => `#${h.connection} ${h.client} for ${fmtDuration(h.held_s)}`);
  const more = finding.held_by.length > 4 ? ` and ${finding.held_by.length - 4} more` : '';
  return `Slots held by: ${slots.join(', ')}${more}.`;
}

/** Every SYN, FIN and RST of one listener: the packets that tell how its connections ended. */
export function teardownFilter(listener: string): string {
  const i = listener.lastIndexOf(':');
  const host = listener.slice(0, i).replace(/^\[|\]$/g, '');
  const ip = host.includes(':') ? 'ipv6' : 'ip';
  return `${ip}.addr == ${host} && tcp.port == ${listener.slice(i + 1)} && (tcp.flags.syn == 1 || tcp.flags.fin == 1 || tcp.flags.reset == 1)`;
}

export function captureLine(report: Report): string {
  const { input } = report;
  const format = input.format === 'pcap' ? 'pcap (µs)' : input.format === 'pcap-nsec' ? 'pcap (ns)' : 'pcapng';
  const parts = [
    input.file === '-' ? 'standard input' : input.file,
    `${input.gzip ? 'gzip · ' : ''}${format}`,
    input.link_types.join(', ') || 'no link type',
    fmtBytes(input.size_bytes),
    plural(input.packets, 'packet'),
    plural(report.summary.connections, 'connection'),
  ];
  if (input.first_ts !== null && input.last_ts !== null) {
    parts.push(`${fmtDuration(input.duration_s)} (${fmtTime(input.first_ts, true, 0)} → ${fmtTime(input.last_ts, false, 0)} UTC)`);
  }
  return parts.join(' · ');
}

export function connectionsLine(report: Report): string {
  const { summary } = report;
  const endings = (Object.entries(summary.by_ending) as [Ending, number][]).filter(([, n]) => n > 0)
    .map(([e, n]) => `${fmtCount(n)} ${ENDING_WORDS[e]}`);
  const states = Object.entries(summary.by_conn_state).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${fmtCount(n)}`);
  const partial = summary.partial > 0 ? `; ${fmtCount(summary.partial)} seen from the middle` : '';
  return `Connections: ${plural(summary.connections, 'connection')}${endings.length ? ` (${endings.join(', ')}${partial})` : ''}`
    + `${states.length ? ` · Zeek conn_state: ${states.join(' ')}` : ''}`;
}

/** Packets that are in no connection, by reason; null when there are none. */
export function skippedLine(report: Report): string | null {
  const skipped = Object.entries(report.input.skipped).sort((a, b) => b[1] - a[1]);
  if (skipped.length === 0) return null;
  const total = skipped.reduce((sum, [, n]) => sum + n, 0);
  return `Not attributed to a connection: ${plural(total, 'packet')} (${skipped.map(([r, n]) => `${r} ${fmtCount(n)}`).join(', ')})`;
}

/** What was read but not analysed: damage, and connections beyond the budget. */
export function damageLines(report: Report): string[] {
  const lines = report.input.issues.map((issue) =>
    `Damaged: ${issue.message} at byte offset ${issue.offset}${issue.frame ? ` (frame ${issue.frame})` : ''}; analysed up to there`);
  const budget = report.input.connection_budget;
  if (budget.first_frame_over !== null) {
    lines.push(`Connection table full at ${fmtCount(budget.max ?? 0)} connections (--max-connections): from frame ${fmtCount(budget.first_frame_over)} on,`
      + ` ${plural(report.input.skipped['connection-budget'] ?? 0, 'packet')} of further new connections were counted, not analysed`);
  }
  return lines;
}

/** What the first screen says when there is no incident. */
export function noIncidentLine(report: Report): string {
  return report.summary.connections === 0 ? 'No TCP connections in this capture.' : 'No bad endings found.';
}

const THRESHOLD_WORDS: [keyof ThresholdsJson, string][] = [
  ['half_close_s', 'half-close'], ['late_fin_s', 'late FIN'], ['accept_delay_s', 'accept delay'], ['zero_window_s', 'zero window'],
];

/** The thresholds a user changed, so a screen read later says what it was measured against. */
export function thresholdsLine(report: Report): string | null {
  const defaults = thresholdsJson(DEFAULT_THRESHOLDS);
  const changed = THRESHOLD_WORDS.filter(([key]) => report.thresholds[key] !== defaults[key])
    .map(([key, words]) => `${words} ${fmtDuration(report.thresholds[key])} (default ${fmtDuration(defaults[key])})`);
  return changed.length > 0 ? `Thresholds: ${changed.join(', ')}` : null;
}
