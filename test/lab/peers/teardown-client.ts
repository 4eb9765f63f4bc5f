/** The client half of the teardown modes (teardown-modes.ts): connects as --plan (JSON Step[]) says. */
import net from 'node:net';
import { endAfter, text } from './peer-args';
import type { Step } from './teardown-modes';

endAfter();

function play(step: Step): void {
  const socket = net.connect({ host: step.host, port: step.port, localPort: step.localPort, allowHalfOpen: true });
  socket.on('error', () => undefined); // the abortive modes end in RST on purpose
  const arg = step.mode === 'simultaneous' ? Date.now() + (step.arg ?? 0) : step.arg ?? 0;
  socket.on('connect', () => {
    socket.write(`${step.mode} ${arg}\n`);
    if (step.mode === 'half-close') socket.end();
  });
  if (step.mode === 'server-closes') socket.on('end', () => socket.end());
  socket.once('data', () => afterAnswer(socket, step, arg));
}

function afterAnswer(socket: net.Socket, step: Step, arg: number): void {
  switch (step.mode) {
    case 'client-closes':
      socket.end();
      return;
    case 'server-closes':
      return; // closes once the server's FIN arrives
    case 'simultaneous':
      setTimeout(() => socket.end(), arg - Date.now());
      return;
    case 'half-close':
      return; // already closed its side; reads the answer to the end
    case 'leak':
      socket.destroy();
      return;
    case 'unread-close':
      socket.write('x'.repeat(1000));
      return;
    case 'linger0':
      setTimeout(() => socket.resetAndDestroy(), arg);
      return;
    case 'zero-window':
      socket.write(Buffer.alloc(step.bytes ?? 0, 0x61));
      socket.end();
      return;
  }
}

for (const step of JSON.parse(text('plan')) as Step[]) setTimeout(() => play(step), step.atMs);
