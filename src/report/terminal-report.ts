import type { Finding, FindingKind, Severity } from '../detect/finding';
import type { Incident } from '../detect/run-detectors';
import { fmtBytes, fmtCount, fmtDuration, fmtTime, plural } from './format';
import type { Ending, ReportJson } from './report-model';

export interface TerminalStyle {
  color: boolean;
  /** Line width to wrap at. */
  width: number;
}

/** Incidents shown on the first screen; the rest are counted and left to --json / --html. */
const MAX_INCIDENTS = 8;
const LABEL_WIDTH = 10;

const LABELS: Record<Severity, string> = { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' };
const COLORS: Record<Severity, string> = { critical: '\u001b[1;31m', warning: '\u001b[33m', info: '\u001b[2m' };
const RESET = '\u001b[0m';

/** Symptoms told inside another incident's line when they concern (nearly) the same connections. */
const FOLDS: Partial<Record<FindingKind, { into: FindingKind; words: string }>> = {
  'late-fin': { into: 'half-closed', words: 'late FIN' },
  'accept-delay': { into: 'half-closed', words: 'accept delay' },
};
const FOLD_SHARE = 0.9;

const ENDING_WORDS: Record<Ending, string> = {
  fin: 'closed normally',
  'fin-rst': 'FIN and RST',
  rst: 'reset',
  'half-closed': 'half-closed at the end',
  open: 'still open at the end',
};

/** The first screen: what was read, the incidents worst first (root cause with its evidence), then counts. */
export function terminalReport(report: ReportJson, style: TerminalStyle): string[] {
  const lines = [captureLine(report), ''];
  const { incidents } = report;
  if (incidents.length === 0) {
    lines.push(report.summary.connections === 0 ? 'No TCP connections in this capture.' : 'No bad endings found.');
  }
  const folded = foldSymptoms(report);
  const shown = incidents.filter((i) => !folded.has(i));
  for (const incident of shown.slice(0, MAX_INCIDENTS)) {
    const label = LABELS[incident.severity].padEnd(LABEL_WIDTH);
    const also = [...folded].filter(([, into]) => into === incident).map(([i]) => plural(i.findings, FOLDS[i.kind]?.words ?? i.kind));
    const text = also.length > 0 ? `${incident.summary}; the same connections show ${also.join(' and ')}` : incident.summary;
    const first = wrap(text, style.width - LABEL_WIDTH);
    lines.push(paint(label, incident.severity, style) + first[0], ...first.slice(1).map(indent));
    if (incident.severity === 'critical') lines.push(...evidence(report, incident, style));
  }
  if (shown.length > MAX_INCIDENTS) lines.push(`… and ${plural(shown.length - MAX_INCIDENTS, 'more incident')} (see --json)`);
  lines.push('', connectionsLine(report));
  const skipped = Object.entries(report.input.skipped).sort((a, b) => b[1] - a[1]);
  if (skipped.length > 0) {
    const total = skipped.reduce((sum, [, n]) => sum + n, 0);
    lines.push(`Not TCP or not decodable: ${plural(total, 'packet')} (${skipped.map(([r, n]) => `${r} ${fmtCount(n)}`).join(', ')})`);
  }
  for (const issue of report.input.issues) {
    lines.push(`Damaged: ${issue.message} at byte offset ${issue.offset}${issue.frame ? ` (frame ${issue.frame})` : ''}; analysed up to there`);
  }
  if (incidents.length > 0) {
    const worst = incidents[0];
    lines.push(`More: tcpteardown explain ${worst.kind} · --json report.json`);
    if (worst.listener) lines.push(`Wireshark: ${teardownFilter(worst.listener)}`);
  }
  return lines;
}

function connectionsOf(report: ReportJson, incident: Incident): Set<number> {
  return new Set(incident.finding_indices.flatMap((i) => {
    const f = report.findings[i];
    return f.connection !== undefined ? [f.connection] : f.connections ?? [];
  }));
}

/** Which incidents to tell inside which other one (see FOLDS). */
function foldSymptoms(report: ReportJson): Map<Incident, Incident> {
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

/** The root cause's explanation, indented, then where to look. */
function evidence(report: ReportJson, incident: Incident, style: TerminalStyle): string[] {
  const finding: Finding = report.findings[incident.finding_indices[0]];
  const lines = finding.explanation.split('\n').flatMap((p) => wrap(p, style.width - LABEL_WIDTH)).map(indent);
  if (finding.held_by && finding.held_by.length > 0) {
    const slots = finding.held_by.slice(0, 4).map((h) => `#${h.connection} ${h.client} for ${fmtDuration(h.held_s)}`);
    const more = finding.held_by.length > 4 ? ` and ${finding.held_by.length - 4} more` : '';
    lines.push(...wrap(`Slots held by: ${slots.join(', ')}${more}.`, style.width - LABEL_WIDTH).map(indent));
  }
  return lines;
}

/** Every SYN, FIN and RST of one listener: the packets that tell how its connections ended. */
function teardownFilter(listener: string): string {
  const i = listener.lastIndexOf(':');
  const host = listener.slice(0, i).replace(/^\[|\]$/g, '');
  const ip = host.includes(':') ? 'ipv6' : 'ip';
  return `${ip}.addr == ${host} && tcp.port == ${listener.slice(i + 1)} && (tcp.flags.syn == 1 || tcp.flags.fin == 1 || tcp.flags.reset == 1)`;
}

function captureLine(report: ReportJson): string {
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

function connectionsLine(report: ReportJson): string {
  const { summary } = report;
  const endings = (Object.entries(summary.by_ending) as [Ending, number][]).filter(([, n]) => n > 0)
    .map(([e, n]) => `${fmtCount(n)} ${ENDING_WORDS[e]}`);
  const states = Object.entries(summary.by_conn_state).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${fmtCount(n)}`);
  const partial = summary.partial > 0 ? `; ${fmtCount(summary.partial)} seen from the middle` : '';
  return `Connections: ${plural(summary.connections, 'connection')}${endings.length ? ` (${endings.join(', ')}${partial})` : ''}`
    + `${states.length ? ` · Zeek conn_state: ${states.join(' ')}` : ''}`;
}

function paint(text: string, severity: Severity, style: TerminalStyle): string {
  return style.color ? `${COLORS[severity]}${text}${RESET}` : text;
}

function indent(line: string): string {
  return ' '.repeat(LABEL_WIDTH) + line;
}

/** Word wrap to `width` columns (a word longer than the width keeps its own line); a unit stays
 * with its number. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).reduce<string[]>((acc, w) => {
    if (acc.length > 0 && /^(µs|ms|s|min|h|KiB|MiB|GiB|B)[,.;:)]*$/.test(w) && /\d$/.test(acc[acc.length - 1])) acc[acc.length - 1] += ` ${w}`;
    else acc.push(w);
    return acc;
  }, []);
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}
