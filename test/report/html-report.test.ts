/** The whole HTML page: self-contained, the terminal's first screen in the same order and words,
 * capped for huge captures, and inert whatever the capture holds. */
import { createHash } from 'node:crypto';
import { MAX_ROWS } from '../../src/report/html/connections-table';
import { htmlReport } from '../../src/report/html/html-report';
import { ladderConnections } from '../../src/report/html/incident-section';
import { readConnectionPackets } from '../../src/report/html/read-connection-packets';
import { asReport, type ReportJson } from '../../src/report/report-model';
import { terminalReport } from '../../src/report/terminal-report';
import { ESCAPED_MARKUP, hostileReport, incidentCapture, MARKUP } from './html-fixtures';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

/** Markup as a browser shows it: tags removed, the five escaped characters decoded. */
function decode(markup: string): string {
  return markup.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

function texts(page: string, pattern: RegExp): string[] {
  return [...page.matchAll(pattern)].map((m) => decode(m[1]).trim());
}

describe('HTML report', () => {
  let report: ReportJson;
  let page: string;

  beforeAll(async () => {
    const capture = await incidentCapture(40);
    report = capture.report;
    page = htmlReport(asReport(report), { packets: await readConnectionPackets(capture.file, ladderConnections(asReport(report))) });
  });

  it('allows exactly its own style sheet and script, and fetches nothing', () => {
    const csp = decode(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '');
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${sha256(style)}'`);
    expect(csp).toContain(`script-src 'sha256-${sha256(script)}'`);
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/\s(src|srcset)=|href="(?!#|data:)|url\(|@import|<iframe|<object|<embed/);
    expect(page).not.toMatch(/ style="/);
  });

  it('has the sections in the order a reader needs them', () => {
    const ids = [...page.matchAll(/<section id="([a-z]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['summary', 'incidents', 'listeners', 'distributions', 'connections']);
  });

  it('says what the terminal says on its first screen, in the same order', () => {
    const terminal = terminalReport(asReport(report), { color: false, width: 10_000 });
    const headlines = terminal.filter((l) => /^(CRITICAL|WARNING|INFO) /.test(l)).map((l) => l.replace(/^\S+\s+/, ''));
    expect(texts(page, /<li class="sev-\w+"><span class="label">\w+<\/span> <a [^>]*>([^<]*)<\/a>/g)).toEqual(headlines);
    expect(page).toContain(`<p class="capture">${terminal[0]}</p>`);
    expect(texts(page, /<p>(Connections: [^<]*)<\/p>/g)).toEqual(terminal.filter((l) => l.startsWith('Connections: ')));
  });

  it('details every incident, with a ladder per representative connection drawn once', () => {
    expect(page.match(/<article class="incident/g)).toHaveLength(report.incidents.length);
    const ladders = [...page.matchAll(/<svg class="ladder"[^>]* data-connection="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ladders).toEqual([...new Set(report.incidents.map((i) => i.representative))]);
    expect(page).toContain('Its ladder diagram is in <a href="#incident-1">incident 1</a>.');
  });

  it('without the capture (standard input), draws the teardown events and says why', () => {
    const fromStdin = htmlReport(asReport(report), { packets: null });
    expect(fromStdin).toContain('The capture came from standard input and could not be read a second time');
  });

  it('caps the connections table and says so', () => {
    const template = report.connections[1];
    const connections = Array.from({ length: MAX_ROWS + 100 }, (_, id) => ({ ...template, id }));
    const big = htmlReport(asReport({ ...report, connections, findings: [], incidents: [] }), { packets: null });
    expect(big.match(/<tr><td class="num"/g)).toHaveLength(MAX_ROWS);
    expect(big).toContain(`Showing 2,000 of 2,100 connections: those with findings first, then in capture order.`);
  });

  it('renders markup from every field of a hostile report as text', () => {
    const hostile = htmlReport(asReport(hostileReport(report)), { packets: null });
    expect(hostile).not.toContain(MARKUP);
    expect(hostile).not.toMatch(/<img|onerror=alert\(1\)>/);
    expect(hostile.match(/<script/g)).toHaveLength(1);
    for (const field of ['<h1>', 'class="capture"', '<code>', 'class="host"', '<td class="mono">', '<title>']) {
      expect(hostile.split(field).slice(1).some((after) => after.slice(0, 600).includes(ESCAPED_MARKUP))).toBe(true);
    }
  });
});
