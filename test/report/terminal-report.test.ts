/** The first screen of the incident: root cause first with its evidence, symptoms folded and counted. */
import { terminalReport, wrap } from '../../src/report/terminal-report';
import { reportOf } from '../support/detect-helper';
import { incidentScripts } from '../support/incident-script';
import { TcpScript } from '../support/tcp-script';

describe('terminal report', () => {
  it('tells the incident in the order of first-screen.md', async () => {
    const report = await reportOf(incidentScripts({ checks: 120 }));
    const lines = terminalReport(report, { color: false, width: 200 });
    expect(lines[0]).toMatch(/^script\.pcap · pcap \(µs\) · ethernet · .* · 121 connections · 90\.0 s \(2023-11-14 22:13:20 → 22:14:50 UTC\)$/);
    const labels = lines.filter((l) => /^(CRITICAL|WARNING|INFO) /.test(l));
    expect(labels).toEqual([
      'CRITICAL  listener 192.0.2.10:8080 served one connection at a time (inferred limit 1)',
      expect.stringMatching(/^WARNING {3}120 connections half-closed: 192\.0\.2\.10:8080 \(the server\) sat in CLOSE_WAIT for 29\.5–89\.0 s; the same connections show 120 late FINs and 120 accept delays$/),
      expect.stringMatching(/^WARNING {3}99 late FINs from 192\.0\.2\.10:8080 answered with RST by its clients, whose FIN_WAIT_2 had expired after at most 40\.\d s/),
      expect.stringMatching(/^INFO {6}1 connection of 192\.0\.2\.10:8080 closed by the client after 90\.0 s idle/),
    ]);
    const text = lines.join('\n');
    expect(text).toContain("closed after 90.0 s idle: this matches Go http.Transport's IdleConnTimeout (90 s).");
    expect(text).toContain('Wireshark: ip.addr == 192.0.2.10 && tcp.port == 8080 && (tcp.flags.syn == 1 || tcp.flags.fin == 1 || tcp.flags.reset == 1)');
    expect(lines.length).toBeLessThan(30);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('colours severities only when asked', async () => {
    const report = await reportOf(incidentScripts({ checks: 5 }));
    expect(terminalReport(report, { color: true, width: 100 }).join('\n')).toContain('\u001b[1;31mCRITICAL');
  });

  it('says so when nothing went wrong', async () => {
    const report = await reportOf([new TcpScript().handshake().fin('client').fin('server').ack('client')]);
    expect(terminalReport(report, { color: false, width: 100 })).toContain('No bad endings found.');
  });

  it('wraps words and keeps a unit with its number', () => {
    expect(wrap("waited for 14.3–89.0 s in total", 24)).toEqual(["waited for 14.3–89.0 s", "in total"]);
  });
});

describe('terminal report of many listeners with one story', () => {
  it('shows two incidents of a kind and names the other listeners in one line', async () => {
    const scripts = [1, 2, 3, 4].map((n) => new TcpScript({ client: `10.0.${n}.1:4000`, server: `10.9.9.${n}:80` }).handshake()
      .fin('client').ack('server').at(30).fin('server').ack('client'));
    const lines = terminalReport(await reportOf(scripts), { color: false, width: 200 });
    expect(lines.filter((l) => l.startsWith('WARNING   1 connection half-closed'))).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^ {10}The same on 2 more listeners: 10\.9\.9\.\d:80, 10\.9\.9\.\d:80 \(2 connections\)\.$/));
  });
});
