import { ADDRESSES } from '../links';
import { node } from '../peers';
import type { Scenario } from '../scenario';

const PORT = 8882;
const P = { server_keepalive_timeout_ms: 1000, node_extra_idle_ms: 1000, one_way_delay_ms: 30 };

/** The server's keep-alive timeout is shorter than the client's (Node's server.keepAliveTimeout,
 * scaled from 5 s to 1 s, against a client that would keep the connection for 90 s). Node 20 closes
 * an idle connection keepAliveTimeout + 1 s after the answer, i.e. after 2 s here.
 *
 * t=0    a first keep-alive connection: request, answer, 2 s idle, the server closes it (FIN first,
 *        the client's FIN right after): this measures the server's real idle timeout.
 * t=2.1  second connection: request and answer.
 * t=4.1  the server's timer closes it (FIN) just as the client sends its next request on it; with
 *        30 ms per direction the two cross on the wire. The request reaches a closed socket: RST
 *        (TcpExtTCPAbortOnData). The client retries on a new connection (Connection: close), which
 *        the server answers and closes. */
export const keepaliveRace: Scenario = {
  name: 'keepalive-race',
  summary: 'Server keep-alive timeout (1 s) shorter than the client\'s: the client reuses the connection as the server closes it, the request crosses the FIN and gets RST, then a retry on a new connection',
  params: P,
  lab: { ipv6: false, wire: { delayMs: P.one_way_delay_ms }, sysctls: {} },
  async play(stage) {
    const host = ADDRESSES.server.v4;
    await stage.serve('server', 'keepalive-server', node('keepalive-server.ts', [
      '--host', host, '--port', PORT, '--keepalive-timeout-ms', P.server_keepalive_timeout_ms,
    ]));
    await stage.runToEnd('client', 'race-client', node('race-client.ts', [
      '--host', host, '--port', PORT, '--one-way-ms', P.one_way_delay_ms,
    ]));
  },
};
