import { ADDRESSES } from '../links';
import type { Scenario } from '../scenario';
import { playTeardown } from './teardown';

const P = { one_way_delay_ms: 20, simultaneous_close_after_ms: 300, reused_client_port: 40000, hold_after_ms: 300 };

/** Endings that are all normal: the analyzer must find nothing worse than `info` here.
 *
 * The wire delays each frame by 20 ms, so that two FINs sent at one agreed moment cross.
 * t=0    client closes first, the server right after.
 * t=0.3  the server closes first (with its answer), the client right after.
 * t=0.6  half-close: the client sends its request and FIN; the server answers after that FIN, in
 *        three parts over 0.2 s, then closes (legitimate: data after the peer's FIN).
 * t=1.2  simultaneous close: both send FIN 0.3 s after connecting; each sees the other's FIN while
 *        in FIN_WAIT_1 (CLOSING, then TIME_WAIT on both sides).
 * t=1.8  server closes first from client port 40000: the server keeps TIME_WAIT.
 * t=2.4  again from port 40000: the SYN lands on the server's TIME_WAIT and opens a new connection
 *        (RFC 6191: allowed since its timestamp is newer). */
export const clean: Scenario = {
  name: 'clean',
  summary: 'Normal endings only: client-first and server-first closes, a legitimate half-close with data after the client\'s FIN, a simultaneous close, a TIME_WAIT reused by a new SYN',
  params: P,
  lab: { ipv6: false, wire: { delayMs: P.one_way_delay_ms }, sysctls: {} },
  play: (stage) => {
    const host = ADDRESSES.server.v4;
    return playTeardown(stage, [host], [
      { atMs: 0, mode: 'client-closes', host },
      { atMs: 300, mode: 'server-closes', host },
      { atMs: 600, mode: 'half-close', host },
      { atMs: 1200, mode: 'simultaneous', host, arg: P.simultaneous_close_after_ms },
      { atMs: 1800, mode: 'server-closes', host, localPort: P.reused_client_port },
      { atMs: 2400, mode: 'server-closes', host, localPort: P.reused_client_port },
    ], P.hold_after_ms);
  },
};
