import { ADDRESSES } from '../links';
import { node, python } from '../peers';
import type { Scenario } from '../scenario';

const PORT = 8880;
const P = {
  server_limit_connections: 1,
  somaxconn: 2,
  client_idle_timeout_ms: 6250,
  client_fin_timeout_s: 3,
  check_from_ms: 500,
  check_every_ms: 500,
  checks: 15,
  check_connect_timeout_ms: 1500,
};

/** The incident (incident-close-wait.zh.md), time-scaled from 90 s / 40 s to 6.25 s / 3 s.
 *
 * t=0     keep-alive client: request, answer; the server's only slot is taken from now on.
 * 0.5–1.5 health checks 1–3 complete their handshake in the accept queue (somaxconn 2: 3 fit) and
 *         close at once: server CLOSE_WAIT (not accepted), client FIN_WAIT2 (orphaned).
 * 2.0–6.0 further checks: SYN dropped (queue full), retransmitted after 1 s, dropped again; those
 *         from 2.0 to 5.0 give up after 1.5 s (no SYN-ACK ever; before a second retransmission, which
 *         comes 1 s or 2 s later depending on net.ipv4.tcp_syn_linear_timeouts), 5.5 and 6.0 get in
 *         with their retransmission.
 * 3.5–4.5 tcp_fin_timeout (3 s) reaps checks 1–3's FIN_WAIT2 on the client.
 * 6.25    the client's idle timeout closes the keep-alive connection; the server accepts checks 1–3
 *         one by one, reads their EOF and closes: late FINs (5.8, 5.3, 4.8 s after the client's),
 *         each answered by RST. Later checks are served promptly. Traffic ends at about 7.6 s. */
export const keepaliveStarvation: Scenario = {
  name: 'keepalive-starvation',
  summary: 'LimitListener(1) server starved by an idle HTTP keep-alive connection: health checks wait in the accept queue in CLOSE_WAIT, their late FINs meet RSTs after the client reaped FIN_WAIT2, SYNs dropped and retransmitted while the queue is full',
  params: P,
  lab: {
    ipv6: false,
    sysctls: {
      server: { 'net.core.somaxconn': P.somaxconn, 'net.ipv4.tcp_max_syn_backlog': 8, 'net.ipv4.tcp_syncookies': 0 },
      client: { 'net.ipv4.tcp_fin_timeout': P.client_fin_timeout_s },
    },
  },
  async play(stage) {
    const host = ADDRESSES.server.v4;
    // Like Go's net.Listen, ask for a large backlog: somaxconn is what caps it.
    await stage.serve('server', 'limit-listener', python('serial-http-server.py', [host, PORT, '--backlog', 4096]));
    await stage.runToEnd('client', 'clients', node('starvation-clients.ts', [
      '--host', host, '--port', PORT, '--idle-ms', P.client_idle_timeout_ms,
      '--check-from-ms', P.check_from_ms, '--check-every-ms', P.check_every_ms, '--checks', P.checks,
      '--connect-timeout-ms', P.check_connect_timeout_ms,
    ]));
  },
};
