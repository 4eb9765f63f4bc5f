/** Normal endings every detector must leave alone (no warning): shared by the detector tests. */
import { TcpScript } from '../support/tcp-script';

export function promptClose(): TcpScript {
  return new TcpScript().handshake().data('client', 100).data('server', 200).fin('client').fin('server').ack('client');
}

export function simultaneousClose(): TcpScript {
  const s = new TcpScript({ client: '10.0.0.1:40001' }).handshake().data('client', 10).data('server', 10);
  const serverSawUpTo = s.nextSeq('client');
  return s.fin('client').fin('server', { ack: serverSawUpTo }).ack('client').ack('server');
}

/** The client shuts down its sending side; the server keeps streaming for 20 s, then closes. */
export function legitimateHalfClose(): TcpScript {
  const s = new TcpScript({ client: '10.0.0.1:40002' }).handshake().data('client', 50).fin('client').ack('server');
  for (let t = 1; t <= 20; t += 1) s.at(t).data('server', 1000).ack('client');
  return s.at(20.001).fin('server').ack('client');
}

export function rstAfterCompletedClose(): TcpScript {
  return new TcpScript({ client: '10.0.0.1:40003' }).handshake().data('client', 10).data('server', 10)
    .fin('client').fin('server').ack('client').after(0.001).rst('client');
}

/** The capture starts in the middle of a busy connection, which then closes normally. */
export function midConnection(): TcpScript {
  const s = new TcpScript({ client: '10.0.0.1:40004' }).handshake();
  s.records.length = 0;
  return s.data('server', 100).ack('client').data('client', 20).data('server', 100).fin('server').fin('client').ack('server');
}

export const LOOK_ALIKES: [string, () => TcpScript][] = [
  ['a prompt normal close', promptClose],
  ['a simultaneous close', simultaneousClose],
  ['a legitimate half-close with data flowing', legitimateHalfClose],
  ['a RST right after a completed close', rstAfterCompletedClose],
  ['a capture that starts mid-connection', midConnection],
];
