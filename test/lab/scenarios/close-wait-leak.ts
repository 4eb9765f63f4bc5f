import { ADDRESSES } from '../links';
import type { Scenario } from '../scenario';
import { playTeardown } from './teardown';

const P = { client_fin_timeout_s: 2, hold_after_ms: 500 };

/** A server that never closes some connections after the client closed.
 *
 * t=0, 0.6  prompt normal closes (client first, server right after).
 * t=0.3, 0.9 the client closes (close(): orphaned FIN_WAIT2); the server never does: CLOSE_WAIT.
 * 2.3, 2.9  tcp_fin_timeout (2 s) reaps the client's FIN_WAIT2: the client has forgotten the
 *           connection, the server still holds it (the incident's "port gone on the client").
 * t=3.5     other traffic goes on: one more prompt close. (A pcap has no end-of-capture time: its last
 *           packet is the analyzer's only proof of how long a silent CLOSE_WAIT lasted.)
 * ~4.1      the capture ends with both leaked connections still in CLOSE_WAIT (3.8 s and 3.2 s). */
export const closeWaitLeak: Scenario = {
  name: 'close-wait-leak',
  summary: 'A server that never closes two of five connections after the client closed: CLOSE_WAIT until the capture ends, the client\'s FIN_WAIT2 reaped on the way',
  params: P,
  lab: { ipv6: false, sysctls: { client: { 'net.ipv4.tcp_fin_timeout': P.client_fin_timeout_s } } },
  play: (stage) => {
    const host = ADDRESSES.server.v4;
    return playTeardown(stage, [host], [
      { atMs: 0, mode: 'client-closes', host },
      { atMs: 300, mode: 'leak', host },
      { atMs: 600, mode: 'client-closes', host },
      { atMs: 900, mode: 'leak', host },
      { atMs: 3500, mode: 'client-closes', host },
    ], P.hold_after_ms);
  },
};
