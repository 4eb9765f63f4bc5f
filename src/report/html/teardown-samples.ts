/** The durations the histograms show, measured on every connection the way the detectors measure them,
 * so the threshold a detector used can be seen against the whole distribution. */
import { acceptWaitOf } from '../../detect/accept-delay';
import { closeWaitSeconds } from '../../detect/half-closed';
import type { Report } from '../report-model';

export interface Sample {
  title: string;
  /** What one value is, in plain words. */
  what: string;
  values: number[];
  thresholdS: number;
  /** Which finding the threshold decides. */
  thresholdKind: string;
}

export function teardownSamples(report: Report): Sample[] {
  const end = { captureEnd: report.input.last_ts ?? 0 };
  const { thresholds } = report;
  const conns = report.connections.facts;
  return [
    {
      title: 'Half-close durations',
      what: 'how long the side that had not closed stayed in CLOSE_WAIT (from the ACK of the first FIN to its FIN, a RST or the end of the capture)',
      values: conns.flatMap(({ halfClose }) => (halfClose ? closeWaitSeconds(halfClose, end) : [])),
      thresholdS: thresholds.half_close_s,
      thresholdKind: 'half-closed',
    },
    {
      title: 'FIN delays',
      what: "time from the first FIN to the other side's FIN",
      values: conns.flatMap((c) => c.finDelayS ?? []),
      thresholdS: thresholds.late_fin_s,
      thresholdKind: 'late-fin',
    },
    {
      title: 'Accept delays',
      what: "how long the server application stayed silent after the client's request or FIN",
      values: conns.flatMap(({ acceptWait }) => (acceptWait ? acceptWaitOf(acceptWait, end).waitS : [])),
      thresholdS: thresholds.accept_delay_s,
      thresholdKind: 'accept-delay',
    },
  ];
}
