/** A burst of HTTP clients against a listener that is not accepting: from the wall-clock time
 * --start-at (epoch ms) on, each connects --every-ms after the previous, sends one request, reads the
 * answer and closes. Attempts after --patient give up after --short-timeout-ms instead of
 * --connect-timeout-ms, so some SYNs stay unanswered for good. */
import net from 'node:net';
import { endAfter, num, text } from './peer-args';

const host = text('host');
const port = num('port');
endAfter();

function attempt(timeoutMs: number): void {
  const socket = net.connect({ host, port });
  const giveUp = setTimeout(() => socket.destroy(), timeoutMs);
  socket.on('connect', () => {
    clearTimeout(giveUp);
    socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  });
  socket.once('data', () => socket.destroy());
  socket.on('error', () => undefined);
}

for (let i = 0; i < num('count'); i++) {
  const timeoutMs = i < num('patient') ? num('connect-timeout-ms') : num('short-timeout-ms');
  setTimeout(() => attempt(timeoutMs), num('start-at') + i * num('every-ms') - Date.now());
}
