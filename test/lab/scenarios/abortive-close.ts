import { ADDRESSES } from '../links';
import type { Scenario } from '../scenario';
import { playTeardown } from './teardown';

/** Each connection stays open over two snapshots or more, so the kernel's view shows it too. */
const P = { unread_close_at_ms: 0, server_close_after_ms: 600, linger0_at_ms: 1000, client_reset_after_ms: 600, hold_after_ms: 300 };

/** Closes that reset instead of finishing.
 *
 * t=0    the client sends 1000 bytes the server never reads; 0.6 s later the server closes: the
 *        kernel sends RST, not FIN (RFC 2525 §2.17; TcpExtTCPAbortOnClose).
 * t=1.0  0.6 s after the answer the client closes with SO_LINGER {on, 0} (Node's resetAndDestroy):
 *        RST (counted as TcpExtTCPAbortOnData). */
export const abortiveClose: Scenario = {
  name: 'abortive-close',
  summary: 'A server closing with unread data (RST instead of FIN) and a client closing with SO_LINGER 0 (RST)',
  params: P,
  lab: { ipv6: false, sysctls: {} },
  play: (stage) => {
    const host = ADDRESSES.server.v4;
    return playTeardown(stage, [host], [
      { atMs: P.unread_close_at_ms, mode: 'unread-close', host, arg: P.server_close_after_ms },
      { atMs: P.linger0_at_ms, mode: 'linger0', host, arg: P.client_reset_after_ms },
    ], P.hold_after_ms);
  },
};
