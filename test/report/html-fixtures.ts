/** Reports for the HTML and Markdown writer tests: the incident as a capture file, and a hostile copy
 * of a report with markup in every free-text field. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { reportCapture } from '../../src/pipeline';
import { reportJson, type ReportJson } from '../../src/report/report-model';
import { writePcap } from '../support/capture-writer';
import { incidentScripts } from '../support/incident-script';
import { mergeScripts, type TcpScript } from '../support/tcp-script';

export const MARKUP = `<img src=x onerror=alert(1)>"'&`;
export const ESCAPED_MARKUP = '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;';

/** Scripted connections written to a pcap file, and its report as the CLI builds it. */
export async function captureFile(scripts: TcpScript[], name = 'capture.pcap'): Promise<{ file: string; report: ReportJson }> {
  const file = join(mkdtempSync(join(tmpdir(), 'tcpteardown-report-')), name);
  writeFileSync(file, writePcap(mergeScripts(...scripts)));
  const report = reportJson(await reportCapture(file, { file: name, sizeBytes: 0, detect: { thresholds: DEFAULT_THRESHOLDS } }));
  return { file, report };
}

export function incidentCapture(checks = 40): Promise<{ file: string; report: ReportJson }> {
  return captureFile(incidentScripts({ checks }), 'incident.pcap');
}

/** Values the writers look up in their own tables (enums): a capture cannot choose them. */
const ENUM_KEYS = new Set(['schema', 'format', 'byte_order', 'kind', 'severity', 'state', 'type', 'by', 'ending', 'code',
  'closed_by', 'rst_seq_fit', 'client_state', 'server_state']);

/** A copy of the report with MARKUP added to every free-text string and record key: endpoints, file
 * name, summaries, explanations, filters, history, conn_state, link types, issue messages… */
export function hostileReport(report: ReportJson): ReportJson {
  const walk = (value: unknown, key: string, inFinalState: boolean): unknown => {
    if (typeof value === 'string') return ENUM_KEYS.has(key) || inFinalState ? value : `${value}${MARKUP}`;
    if (Array.isArray(value)) return value.map((v) => walk(v, key, inFinalState));
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value).map(([k, v]) => {
      const recordKey = key === 'skipped' || key === 'by_conn_state' || key === 'measures';
      return [recordKey ? `${k}${MARKUP}` : k, walk(v, k, k === 'final_state' || inFinalState)];
    });
    return Object.fromEntries(entries);
  };
  return walk(report, '', false) as ReportJson;
}
