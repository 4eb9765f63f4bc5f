/** A keep-alive client whose pool picks the idle connection at the moment the server's keep-alive
 * timeout closes it. A first connection measures when the server really closes an idle connection
 * (Node 20 waits keepAliveTimeout + 1 s, whatever its Keep-Alive header says). On the second, the next
 * request leaves just when the server's timer fires (the answer's arrival + that idle time − the
 * wire's --one-way-ms), so it crosses the server's FIN on the wire; the server, closed already,
 * answers it with RST. The client then retries once on a new connection, as Go's http.Transport does
 * for a request that got no answer. */
import net from 'node:net';
import { endAfter, num, text } from './peer-args';

const host = text('host');
const port = num('port');
endAfter();

const request = (path: string, close: boolean): string =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;

/** One request, then resolves with the ms from its answer to the server's FIN. */
function measureIdleClose(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.connect({ host, port, allowHalfOpen: true });
    let answeredAt = 0;
    probe.write(request('/probe', false));
    probe.once('data', () => { answeredAt = Date.now(); });
    probe.on('end', () => {
      probe.end();
      resolve(Date.now() - answeredAt);
    });
  });
}

function race(idleMs: number): void {
  const pooled = net.connect({ host, port, allowHalfOpen: true });
  let answers = 0;
  pooled.write(request('/first', false));
  pooled.on('data', () => {
    if (++answers === 1) setTimeout(() => pooled.write(request('/second', false)), idleMs - num('one-way-ms'));
  });
  // The server's FIN came instead of the answer (its RST follows): the request was lost with the
  // connection, so it goes again on a new one. The pooled socket is left to the RST.
  pooled.on('end', () => {
    if (answers === 1) retry();
  });
  pooled.on('error', () => undefined);
}

function retry(): void {
  const socket = net.connect({ host, port, allowHalfOpen: true }, () => socket.write(request('/second', true)));
  socket.resume();
  socket.on('end', () => socket.end());
}

measureIdleClose().then(race);
