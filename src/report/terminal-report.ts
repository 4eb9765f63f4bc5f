import type { Severity } from '../detect/finding';
import type { Incident } from '../detect/run-detectors';
import { plural } from '../format';
import type { Report } from './report-model';
import {
  captureLine, connectionsLine, damageLines, foldSymptoms, headline, noIncidentLine, SEVERITY_LABELS, skippedLine, slotsLine,
  teardownFilter, thresholdsLine,
} from './report-words';

export interface TerminalStyle {
  color: boolean;
  /** Line width to wrap at. */
  width: number;
}

/** Incidents shown on the first screen; the rest are counted and left to --json / --html. */
const MAX_INCIDENTS = 8;
const LABEL_WIDTH = 10;

const COLORS: Record<Severity, string> = { critical: '\u001b[1;31m', warning: '\u001b[33m', info: '\u001b[2m' };
const RESET = '\u001b[0m';

/** The first screen: what was read, the incidents worst first (root cause with its evidence), then counts. */
export function terminalReport(report: Report, style: TerminalStyle): string[] {
  const lines = [captureLine(report), ''];
  const { incidents } = report;
  if (incidents.length === 0) lines.push(noIncidentLine(report));
  const folded = foldSymptoms(report);
  const { shown, alike } = groupAlike(incidents.filter((i) => !folded.has(i)));
  for (const incident of shown.slice(0, MAX_INCIDENTS)) {
    const label = SEVERITY_LABELS[incident.severity].padEnd(LABEL_WIDTH);
    const first = wrap(headline(incident, folded), style.width - LABEL_WIDTH);
    lines.push(paint(label, incident.severity, style) + first[0], ...first.slice(1).map(indent));
    if (incident.severity === 'critical') lines.push(...evidence(report, incident, style));
    const more = alike.get(incident);
    if (more) lines.push(...wrap(alikeLine(more), style.width - LABEL_WIDTH).map(indent));
  }
  if (shown.length > MAX_INCIDENTS) lines.push(`… and ${plural(shown.length - MAX_INCIDENTS, 'more incident')} (see --json)`);
  lines.push('', connectionsLine(report));
  const skipped = skippedLine(report);
  if (skipped !== null) lines.push(skipped);
  lines.push(...damageLines(report));
  const thresholds = thresholdsLine(report);
  if (thresholds !== null) lines.push(thresholds);
  if (incidents.length > 0) {
    const worst = incidents[0];
    lines.push(`More: tcpteardown explain ${worst.kind} · --html report.html · --json report.json`);
    if (worst.listener) lines.push(`Wireshark: ${teardownFilter(worst.listener)}`);
  }
  return lines;
}

/** Incidents of one kind and severity shown at most this many times; the others are named after them. */
const PER_KIND = 2;

/** Keeps the first PER_KIND incidents of each kind and severity (every critical one); the rest of a kind
 * are told in one line after its last shown incident, so many listeners with one story fit one screen. */
function groupAlike(incidents: Incident[]): { shown: Incident[]; alike: Map<Incident, Incident[]> } {
  const shown: Incident[] = [];
  const alike = new Map<Incident, Incident[]>();
  const byKind = new Map<string, Incident[]>();
  for (const incident of incidents) {
    const key = `${incident.kind} ${incident.severity}`;
    const same = byKind.get(key) ?? [];
    byKind.set(key, same);
    if (incident.severity === 'critical' || same.length < PER_KIND) {
      same.push(incident);
      shown.push(incident);
    } else {
      const last = same[same.length - 1];
      alike.set(last, [...(alike.get(last) ?? []), incident]);
    }
  }
  return { shown, alike };
}

function alikeLine(more: Incident[]): string {
  const names = more.map((i) => i.listener ?? 'no listener');
  const listed = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
  return `The same on ${plural(more.length, 'more listener')}: ${listed} (${plural(more.reduce((n, i) => n + i.connections, 0), 'connection')}).`;
}

/** The root cause's explanation, indented, then where to look. */
function evidence(report: Report, incident: Incident, style: TerminalStyle): string[] {
  const finding = report.findings.at(incident.finding_indices[0]);
  const lines = finding.explanation.split('\n').flatMap((p) => wrap(p, style.width - LABEL_WIDTH)).map(indent);
  const slots = slotsLine(finding);
  if (slots !== null) lines.push(...wrap(slots, style.width - LABEL_WIDTH).map(indent));
  return lines;
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
