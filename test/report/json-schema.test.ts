/** Every report we write validates against schema/report.schema.json, and its counts add up. */
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyzeCapture } from '../../src/analyze';
import { DEFAULT_THRESHOLDS } from '../../src/detect/thresholds';
import { buildReport } from '../../src/report/build-report';
import { writeJsonReport } from '../../src/report/json-writer';
import { reportJson, type Report } from '../../src/report/report-model';
import { CORPUS_CAPTURES, corpusAvailable, corpusCaptures } from '../support/corpus';
import { incidentScripts } from '../support/incident-script';
import { analyzeScript } from '../support/tcp-script';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

async function written(report: Report): Promise<unknown> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeJsonReport(report, out);
  out.end();
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function expectValid(json: unknown): void {
  const ok = validate(json);
  expect(ok ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

describe('JSON report', () => {
  it('the scripted incident validates and round-trips', async () => {
    const report = buildReport(await analyzeScript(...incidentScripts()), { file: 'incident.pcap', sizeBytes: 1 }, { thresholds: DEFAULT_THRESHOLDS });
    const json = await written(report);
    expectValid(json);
    expect(json).toEqual(JSON.parse(JSON.stringify(reportJson(report))));
  });

  const captures = corpusAvailable() ? corpusCaptures() : [];
  (captures.length > 0 ? it.each(captures) : it.skip.each(['(no corpus)']))('%s validates; packets = tcp_packets + skipped', async (capture) => {
    let analysis;
    try {
      analysis = await analyzeCapture(join(CORPUS_CAPTURES, capture));
    } catch {
      return; // unreadable files have no report (tested with the CLI)
    }
    const report = buildReport(analysis, { file: capture, sizeBytes: 0 }, { thresholds: DEFAULT_THRESHOLDS });
    expectValid(await written(report));
    const skipped = Object.values(report.input.skipped).reduce((a, b) => a + b, 0);
    expect(report.input.tcp_packets + skipped).toBe(report.input.packets);
    expect(report.connections.all().reduce((n, c) => n + c.packets.client + c.packets.server, 0)).toBe(report.input.tcp_packets);
  });
});

describe('JSON listeners', () => {
  it('summarises each server endpoint: connections, concurrency, endings, findings and the inferred limit', async () => {
    const report = buildReport(await analyzeScript(...incidentScripts({ checks: 10 })), { file: 'incident.pcap', sizeBytes: 1 }, { thresholds: DEFAULT_THRESHOLDS });
    expect(report.listeners).toHaveLength(1);
    expect(report.listeners[0]).toMatchObject({
      listener: '192.0.2.10:8080', connections: 11, max_concurrent: 11, limit: 1, waiting_max: 10,
      findings: { 'listener-saturation': 1, 'half-closed': 10, 'accept-delay': 10 },
      by_ending: { fin: 1 },
    });
  });
});
