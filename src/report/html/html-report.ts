/** The HTML report: one self-contained file (inline CSS, SVG and one small script; no network requests)
 * that opens from a file share or an email attachment and prints cleanly. */
import type { Report } from '../report-model';
import { connectionsSection } from './connections-table';
import { histogramFigure } from './histogram-svg';
import { incidentsSection } from './incident-section';
import type { ConnectionPackets } from './ladder-packets';
import { listenersSection } from './listeners-section';
import { pageBehaviour } from './page-script';
import { cspHash, html, trusted } from './safe-html';
import { STYLES } from './styles';
import { summarySection } from './summary-section';
import { teardownSamples } from './teardown-samples';

export interface HtmlReportOptions {
  /** Packets of the connections the ladders draw (see ladderConnections); null when the capture could
   * not be read a second time (standard input): the ladders then draw the teardown events. */
  packets: ReadonlyMap<number, ConnectionPackets> | null;
}

const SCRIPT = `(${pageBehaviour.toString()})();`;

/** The policy allows exactly this page's style sheet and script, and no fetch of any kind: even if
 * something from the capture slipped through escaping, it could neither run nor call out. */
const CSP = `default-src 'none'; style-src '${cspHash(STYLES)}'; script-src '${cspHash(SCRIPT)}'; img-src data:; base-uri 'none'; form-action 'none'`;

export function htmlReport(report: Report, options: HtmlReportOptions): string {
  const title = `tcpteardown: ${report.input.file === '-' ? 'standard input' : report.input.file}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${`tcpteardown ${report.tool.version}`}">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${trusted(STYLES)}</style>
</head>
<body>
<main>
${summarySection(report)}
${incidentsSection(report, options.packets)}
${listenersSection(report)}
<section id="distributions"><h2>Distributions</h2>
<div class="histograms">${teardownSamples(report).map(histogramFigure)}</div>
</section>
${connectionsSection(report)}
<footer>Written by tcpteardown ${report.tool.version} (report schema ${report.schema}). The full report, every connection with its events and states, is what <code>--json</code> writes.</footer>
</main>
<script>${trusted(SCRIPT)}</script>
</body>
</html>
`.text;
}
