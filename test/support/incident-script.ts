/** The incident of ../shared/docs/incident-close-wait.zh.md as scripted connections: a listener that
 * serves one connection at a time; a keep-alive client holds the slot and closes after 90 s idle; a
 * health checker connects and closes every `intervalS`; its FIN_WAIT_2 expires after `finTimeoutS`,
 * so the server's late FINs meet RSTs. */
import { TcpScript } from './tcp-script';

export interface IncidentOptions {
  checks?: number;
  intervalS?: number;
  idleTimeoutS?: number;
  finTimeoutS?: number;
}

export function incidentScripts(opts: IncidentOptions = {}): TcpScript[] {
  const { checks = 40, intervalS = 0.5, idleTimeoutS = 90, finTimeoutS = 40 } = opts;
  const server = '192.0.2.10:8080';
  const keepAlive = new TcpScript({ client: '192.0.2.20:51514', server }).handshake()
    .data('client', 300).after(0.002).data('server', 120).ack('client');
  const releaseAt = 0.01 + idleTimeoutS;
  keepAlive.at(releaseAt).fin('client').after(0.0001).fin('server').ack('client');
  const scripts = [keepAlive];
  for (let i = 0; i < checks; i++) {
    const t = 1 + i * intervalS;
    const s = new TcpScript({ client: `192.0.2.30:${40000 + i}`, server }).at(t).handshake().fin('client').ack('server');
    // Accepted one by one once the slot is free: read EOF, close at once.
    s.at(releaseAt + 0.0003 + i * 0.0002).fin('server');
    if (releaseAt - t > finTimeoutS) s.after(0.0001).rst('client', { ack: false });
    else s.after(0.0001).ack('client');
    scripts.push(s);
  }
  return scripts;
}
