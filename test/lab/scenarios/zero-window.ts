import { ADDRESSES } from '../links';
import type { Scenario } from '../scenario';
import { playTeardown } from './teardown';

const P = { server_rmem: '4096 4096 4096', pause_ms: 2000, bytes: 32768, hold_after_ms: 300 };

/** A receiver that stops reading before the peer closes.
 *
 * t=0    the server reads the first line and stops reading; the client sends 32 KiB and closes (its
 *        FIN waits behind the data). A 4 KiB receive buffer fills at once: zero window; the client
 *        probes it with backing-off persist probes.
 * t=2.0  the server reads again: window update, the rest of the data and the client's FIN arrive, the
 *        server closes. */
export const zeroWindow: Scenario = {
  name: 'zero-window',
  summary: 'A receiver that stops reading for 2 s while the sender still has 32 KiB to send and has closed: zero window, persist probes, window reopening, then a normal close',
  params: P,
  lab: { ipv6: false, sysctls: { server: { 'net.ipv4.tcp_rmem': P.server_rmem } } },
  play: (stage) => {
    const host = ADDRESSES.server.v4;
    return playTeardown(stage, [host], [
      { atMs: 0, mode: 'zero-window', host, arg: P.pause_ms, bytes: P.bytes },
    ], P.hold_after_ms);
  },
};
