/** The incident's two clients, time-scaled. An HTTP/1.1 keep-alive client (Node's http.Agent, like
 * nginx's upstream keepalive) makes one request, then leaves the connection idle until its own idle
 * timeout closes it. A health checker connects and closes every half second (Go's net.DialTimeout then
 * Close: close(), so the socket is orphaned and tcp_fin_timeout reaps its FIN_WAIT2), giving up on a
 * connection attempt after --connect-timeout-ms. */
import http from 'node:http';
import net from 'node:net';
import { endAfter, num, text } from './peer-args';

const host = text('host');
const port = num('port');
endAfter();

// keepAliveMsecs: no TCP keep-alive probes within the scenario's seconds.
const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 3_600_000, timeout: num('idle-ms'), maxSockets: 1 });
http.get({ host, port, path: '/hello', agent }, (res) => { res.resume(); });

function check(): void {
  const socket = net.connect({ host, port });
  const giveUp = setTimeout(() => socket.destroy(), num('connect-timeout-ms'));
  socket.on('connect', () => {
    clearTimeout(giveUp);
    socket.destroy();
  });
  socket.on('error', () => undefined);
}

for (let i = 0; i < num('checks'); i++) setTimeout(check, num('check-from-ms') + i * num('check-every-ms'));
