import { ADDRESSES } from '../links';
import { node, python } from '../peers';
import type { Scenario } from '../scenario';

const PORT = 8883;
const P = {
  somaxconn: 2, clients: 7, every_ms: 75, patient_clients: 6, connect_timeout_ms: 4500, short_timeout_ms: 1200,
  server_accepts_after_ms: 1900,
};
/** Time for the peers to start before the shared schedule begins. */
const START_MARGIN_MS = 1500;

/** A listener that accepts nothing for 1.9 s while seven clients arrive 75 ms apart. Both peers follow
 * one wall-clock schedule, so neither's start-up time shifts the outcome.
 *
 * t=0–0.15  clients 1–3 complete their handshake into the accept queue (somaxconn 2: 3 fit) and
 *           send their request; nobody reads it.
 * 0.225–0.45 clients 4–7: SYN dropped (queue full; TcpExtListenOverflows), retransmitted 1 s later,
 *           dropped again. Client 7 gives up after 1.2 s: its SYNs are never answered.
 * t=1.9     the server accepts and answers the three waiting requests.
 * 2.2–3.4   clients 4–6's next retransmission gets in and is answered: 2 s after their SYN where
 *           net.ipv4.tcp_syn_linear_timeouts ≥ 2 (Linux 6.18 default 4), else 3 s (1 s, then doubling). */
export const backlogOverflow: Scenario = {
  name: 'backlog-overflow',
  summary: 'Accept queue full while the server stalls for 1.9 s: SYNs dropped and retransmitted, one attempt never answered, queued requests answered late',
  params: P,
  lab: {
    ipv6: false,
    sysctls: { server: { 'net.core.somaxconn': P.somaxconn, 'net.ipv4.tcp_max_syn_backlog': 8, 'net.ipv4.tcp_syncookies': 0 } },
  },
  async play(stage) {
    const host = ADDRESSES.server.v4;
    const startAt = Date.now() + START_MARGIN_MS;
    await stage.serve('server', 'stalled-listener', python('serial-http-server.py', [
      host, PORT, '--backlog', 4096, '--accept-at', (startAt + P.server_accepts_after_ms) / 1000,
    ]));
    await stage.runToEnd('client', 'burst-clients', node('burst-clients.ts', [
      '--host', host, '--port', PORT, '--start-at', startAt, '--count', P.clients, '--every-ms', P.every_ms,
      '--patient', P.patient_clients, '--connect-timeout-ms', P.connect_timeout_ms, '--short-timeout-ms', P.short_timeout_ms,
    ]));
  },
};
