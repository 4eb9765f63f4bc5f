import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../../src/detect/thresholds';
import { reportCapture } from '../../../src/pipeline';
import { reportJson, type ReportJson } from '../../../src/report/report-model';
import type { Truth } from '../truth-model';

export const CAPTURES_DIR = join(__dirname, '..', '..', '..', 'captures');

/** The scenarios run at about 1/15 of real time (the incident's 90 s idle timeout is 6.25 s here), so
 * the time thresholds shrink too: 1 s lies between the scenarios' deliberate waits (2 s and more) and
 * their prompt steps (0.3 s at most). */
const LAB_THRESHOLDS: Thresholds = { ...DEFAULT_THRESHOLDS, halfCloseS: 1, lateFinS: 1, acceptDelayS: 1 };

export interface LabCapture {
  truth: Truth;
  report: ReportJson;
}

function readTruth(scenario: string, dir = CAPTURES_DIR): Truth {
  return JSON.parse(readFileSync(join(dir, `${scenario}.truth.json`), 'utf8')) as Truth;
}

/** The analyzer's report on one capture file, in process, with the lab's thresholds. */
export async function labReport(file: string, dir = CAPTURES_DIR): Promise<ReportJson> {
  return reportJson(await reportCapture(join(dir, file), { file, sizeBytes: 0, detect: { thresholds: LAB_THRESHOLDS } }));
}

export async function loadLabCapture(scenario: string, dir = CAPTURES_DIR): Promise<LabCapture> {
  return { truth: readTruth(scenario, dir), report: await labReport(`${scenario}.pcap`, dir) };
}
