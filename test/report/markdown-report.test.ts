/** The Markdown report: the first screen and the incidents for a postmortem document or a ticket,
 * with capture-derived text that cannot turn into markup. */
import { markdownReport } from '../../src/report/markdown/markdown-report';
import { asReport, reportJson } from '../../src/report/report-model';
import { mdCode, mdParagraph, mdText } from '../../src/report/markdown/markdown-text';
import { terminalReport } from '../../src/report/terminal-report';
import { reportOf } from '../support/detect-helper';
import { incidentScripts } from '../support/incident-script';
import { TcpScript } from '../support/tcp-script';
import { hostileReport } from './html-fixtures';

/** The text outside code spans, where Markdown would interpret it. */
function outsideCode(md: string): string {
  return md.replace(/(`+)[\s\S]*?\1/g, '');
}

describe('Markdown report', () => {
  it('tells the incident in the terminal\'s order, then each incident in detail', async () => {
    const report = await reportOf(incidentScripts({ checks: 40 }));
    const md = markdownReport(report);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# How the TCP connections of `script.pcap` ended');
    const terminal = terminalReport(report, { color: false, width: 10_000 });
    const bullets = lines.filter((l) => l.startsWith('- **')).slice(0, 4).map((l) => l.replace(/\\(.)/g, '$1'));
    expect(bullets).toEqual(terminal.filter((l) => /^(CRITICAL|WARNING|INFO) /.test(l)).map((l) => l.replace(/^(\S+)\s+/, '- **$1** ')));
    expect(md).toContain('Wireshark: `ip.addr == 192.0.2.10 && tcp.port == 8080 && (tcp.flags.syn == 1 || tcp.flags.fin == 1 || tcp.flags.reset == 1)`');
    expect(lines.filter((l) => l.startsWith('### '))).toHaveLength(report.incidents.length);
    expect(lines).toContain('### 1. CRITICAL: listener 192.0.2.10:8080 served one connection at a time (inferred limit 1)');
    expect(md).toMatch(/- \*\*Representative connection:\*\* \\#1 `192\.0\.2\.30:40000` → `192\.0\.2\.10:8080`, `ip\.addr==192\.0\.2\.30 && /);
  });

  it('says so when nothing went wrong', async () => {
    const md = markdownReport(await reportOf([new TcpScript().handshake().fin('client').fin('server').ack('client')]));
    expect(md).toContain('\nNo bad endings found.\n');
    expect(md).not.toContain('## Incidents');
  });

  it('escapes what would start markup, a list, a heading or a reference', () => {
    expect(mdText('a <b> *c* _d_ [e](f) `g` #4 @h |i| ~j~ &k;')).toBe('a \\<b\\> \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` \\#4 \\@h \\|i\\| \\~j\\~ \\&k;');
    expect(['- x', '+ x', '> x', '1. x', '2) x', '== x'].map(mdParagraph)).toEqual(['\\- x', '\\+ x', '\\> x', '1\\. x', '2\\) x', '\\== x']);
    expect(mdText('1.5 s')).toBe('1.5 s');
    expect(mdText('two\nlines')).toBe('two lines');
  });

  it('fences code spans longer than any backtick run inside', () => {
    expect(mdCode('tcp.port == 80')).toBe('`tcp.port == 80`');
    expect(mdCode('a `b` c')).toBe('``a `b` c``');
    expect(mdCode('`x``')).toBe('``` `x`` ```');
  });

  it('leaves no markup from a hostile report outside code spans', async () => {
    const md = markdownReport(asReport(hostileReport(reportJson(await reportOf(incidentScripts({ checks: 5 }))))));
    const prose = outsideCode(md);
    expect(prose).toContain('\\<img src=x onerror=alert(1)\\>');
    // Our own markup uses * _ - #; only the capture's text could bring < [ & (HTML, links, entities).
    expect(prose).not.toMatch(/(^|[^\\])[<[&]/m);
  });
});
