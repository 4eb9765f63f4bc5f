import type { Finding, FindingKind } from '../../src/detect/finding';
import type { Incident } from '../../src/detect/run-detectors';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/detect/thresholds';
import { buildReport } from '../../src/report/build-report';
import type { Report } from '../../src/report/report-model';
import { analyzeScript, type TcpScript } from './tcp-script';

/** The report of scripted connections, with default thresholds unless overridden. */
export async function reportOf(scripts: TcpScript[], thresholds: Partial<Thresholds> = {}): Promise<Report> {
  const analysis = await analyzeScript(...scripts);
  return buildReport(analysis, { file: 'script.pcap', sizeBytes: 0 }, { thresholds: { ...DEFAULT_THRESHOLDS, ...thresholds } });
}

/** The findings of scripted connections, read back as objects, and their incidents. */
export async function detectScripts(scripts: TcpScript[], thresholds: Partial<Thresholds> = {}): Promise<{ findings: Finding[]; incidents: Incident[] }> {
  const { findings, incidents } = await reportOf(scripts, thresholds);
  return { findings: [...findings], incidents };
}

export function ofKind(findings: Finding[], kind: FindingKind): Finding[] {
  return findings.filter((f) => f.kind === kind);
}

export function kinds(findings: Finding[]): FindingKind[] {
  return [...new Set(findings.map((f) => f.kind))].sort();
}
