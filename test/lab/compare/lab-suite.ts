import type { FindingKind } from '../../../src/detect/finding';
import type { ReportJson } from '../../../src/report/report-model';
import type { Truth } from '../truth-model';
import { compare, disagreements, type Agreement } from './agreement';
import { loadLabCapture } from './lab-capture';

export interface LabResult {
  truth: Truth;
  report: ReportJson;
  agreement: Agreement;
}

/** Finding kinds of warning severity or worse, sorted and without repeats. */
function warningKinds(report: ReportJson): FindingKind[] {
  return [...new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.kind))].sort();
}

/** The checks every recorded lab capture gets: the analyzer agrees with the kernels' truth file, and
 * finds exactly the expected kinds (at warning or worse; `info` is never a failure). `more` adds the
 * scenario's own assertions. */
export function describeLabCapture(scenario: string, expectedKinds: FindingKind[], more: (lab: () => LabResult) => void): void {
  describe(`lab capture ${scenario}`, () => {
    let result: LabResult | undefined;
    const lab = (): LabResult => {
      if (!result) throw new Error('not loaded');
      return result;
    };
    beforeAll(async () => {
      const { truth, report } = await loadLabCapture(scenario);
      result = { truth, report, agreement: compare(truth, report) };
    });

    test('the analyzer agrees with the kernels', () => {
      expect(disagreements(lab().agreement)).toEqual([]);
    });

    test(`finds ${expectedKinds.length ? expectedKinds.join(', ') : 'nothing worse than info'}`, () => {
      expect(warningKinds(lab().report)).toEqual([...expectedKinds].sort());
    });

    more(lab);
  });
}
