import type { Report } from '../report-model';
import { htmlReport } from './html-report';
import { ladderConnections } from './incident-section';
import { readConnectionPackets } from './read-connection-packets';

/** The HTML report of a capture: reads `captureFile` again for the packets of the ladder diagrams;
 * with null (standard input, a merged set) the ladders draw the teardown events instead. */
export async function htmlReportForCapture(report: Report, captureFile: string | null): Promise<string> {
  const packets = captureFile === null ? null : await readConnectionPackets(captureFile, ladderConnections(report));
  return htmlReport(report, { packets });
}
