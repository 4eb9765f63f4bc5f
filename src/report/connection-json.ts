import { formatAddress, formatEndpoint } from '../flow/endpoint-key';
import type { Connection } from '../tcp/connection';
import type { Side } from '../tcp/side';
import type { ConnectionJson, Ending, EventJson, Role } from './report-model';

/** The JSON view of one connection, oriented client → server. */
export function connectionJson(conn: Connection): ConnectionJson {
  const c = conn.sides[conn.clientSide];
  const s = conn.sides[conn.clientSide ^ 1];
  const role = (side: 0 | 1): Role => (side === conn.clientSide ? 'client' : 'server');
  return {
    id: conn.id,
    client: formatEndpoint(c.addr, c.port),
    server: formatEndpoint(s.addr, s.port),
    start: conn.start,
    end: conn.end,
    duration_s: round6(conn.end - conn.start),
    first_frame: conn.firstFrame,
    last_frame: conn.lastFrame,
    partial: conn.partial,
    previous: conn.previousId,
    packets: { client: c.packets, server: s.packets },
    bytes: { client: c.bytes, server: s.bytes },
    payload_bytes: { client: c.payloadBytes, server: s.payloadBytes },
    conn_state: conn.zeek.connState(),
    history: conn.zeek.history,
    ending: endingOf(c, s),
    final_state: { client: c.state, server: s.state },
    states: { client: c.timeline, server: s.timeline },
    events: conn.eventLog().map((e): EventJson => {
      const json: EventJson = { type: e.type, by: role(e.side), at: e.at, frame: e.frame, seq: e.seq, ack: e.ack, len: e.len };
      if (e.rstWithAck !== undefined) json.rst_with_ack = e.rstWithAck;
      if (e.rstSeqFit !== undefined) json.rst_seq_fit = e.rstSeqFit;
      if (e.idleS !== undefined) json.idle_s = e.idleS;
      return json;
    }),
    filter: connectionFilter(c, s, conn.firstFrame, conn.lastFrame),
  };
}

/** `client` and `server` sides of a connection. */
function endingOf(client: Side, server: Side): Ending {
  const fins = Number(client.finSent) + Number(server.finSent);
  const rst = client.rstSent || server.rstSent;
  if (rst) return fins > 0 ? 'fin-rst' : 'rst';
  if (fins === 2) return 'fin';
  if (fins === 1) return 'half-closed';
  return client.synSeen && !server.synSeen && server.packets === 0 ? 'unanswered' : 'open';
}

/** A Wireshark display filter showing exactly this connection's packets (the frame range keeps
 * other incarnations of the same 4-tuple out). */
function connectionFilter(a: Side, b: Side, firstFrame: number, lastFrame: number): string {
  const ip = a.addr.length === 4 ? 'ip' : 'ipv6';
  return `${ip}.addr==${formatAddress(a.addr)} && tcp.port==${a.port} && ${ip}.addr==${formatAddress(b.addr)} && tcp.port==${b.port}`
    + ` && frame.number>=${firstFrame} && frame.number<=${lastFrame}`;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
