import type { Host } from './links';
import type { LabSpec } from './netns';
import type { Peer } from './peers';
import type { RecorderSpec } from './recorder';
import type { ParamValue } from './truth-model';

/** What a scenario's play can do with the lab: start peers in either host. */
export interface Stage {
  /** Starts a long-running peer (a server) and waits until it is ready; the runner stops it after
   * the capture, so whatever it left open is still open when the capture ends. */
  serve(host: Host, name: string, argv: string[]): Promise<Peer>;
  /** Starts a peer and waits until it exits by itself (a client that plays the traffic). */
  runToEnd(host: Host, name: string, argv: string[]): Promise<void>;
}

export interface Scenario {
  name: string;
  /** What the capture shows, in one line (captures/README.md). */
  summary: string;
  /** Timings and sizes, echoed in the truth file. */
  params: Record<string, ParamValue>;
  lab: LabSpec;
  /** Default: one tcpdump pcap on the server's link, `<name>.pcap`. */
  recorders?: RecorderSpec[];
  /** Plays the traffic; resolves once it is over. */
  play(stage: Stage): Promise<void>;
}
