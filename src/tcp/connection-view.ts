import { formatAddress, joinEndpoint } from '../flow/endpoint-key';
import type { Connection } from './connection';
import type { ConnEvent } from './events';
import type { Side } from './side';
import type { TcpState } from './tcp-state';

export type { Role } from './events';
export type PerRole<T> = { client: T; server: T };

/** How a connection ended, from the control segments the capture holds. */
export type Ending =
  | 'fin'        // both sides sent FIN, no RST
  | 'fin-rst'    // FIN and RST (e.g. RST answering a late FIN)
  | 'rst'        // RST without any FIN
  | 'half-closed' // one side's FIN only, capture ended
  | 'open'       // neither FIN nor RST
  | 'unanswered'; // SYNs only, nothing from the server

/** Every ending, in a fixed order (codes where views are kept as numbers). */
export const ENDINGS = Object.keys({ 'fin': 0, 'fin-rst': 0, 'rst': 0, 'half-closed': 0, 'open': 0, 'unanswered': 0 } satisfies Record<Ending, 0>) as Ending[];

export interface StateChangeJson {
  state: TcpState;
  at: number;
  frame: number;
  inferred?: boolean;
}

export type EventJson = ConnEvent;

export interface ConnectionJson {
  id: number;
  client: string;
  server: string;
  start: number;
  end: number;
  duration_s: number;
  first_frame: number;
  last_frame: number;
  partial: boolean;
  previous: number | null;
  packets: PerRole<number>;
  bytes: PerRole<number>;
  payload_bytes: PerRole<number>;
  conn_state: string;
  history: string;
  ending: Ending;
  final_state: PerRole<TcpState | null>;
  states: PerRole<StateChangeJson[]>;
  events: EventJson[];
  filter: string;
}

/** The JSON view of one connection, oriented client → server. Build it once the connection has taken its
 * last segment (when it is retired), before it is released. */
export function connectionJson(conn: Connection): ConnectionJson {
  const c = conn.side(conn.clientSide);
  const s = conn.side(conn.clientSide === 0 ? 1 : 0);
  // Each address formatted once, for the endpoints and the filter.
  const ipv4 = c.addr.length === 4;
  const clientAddress = formatAddress(c.addr);
  const serverAddress = formatAddress(s.addr);
  return {
    id: conn.id,
    client: joinEndpoint(clientAddress, ipv4, c.port),
    server: joinEndpoint(serverAddress, ipv4, s.port),
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
    states: { client: conn.timeline(conn.clientSide), server: conn.timeline(conn.clientSide === 0 ? 1 : 0) },
    events: conn.eventLog(),
    filter: connectionFilter(ipv4, clientAddress, c.port, serverAddress, s.port, conn.firstFrame, conn.lastFrame),
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
function connectionFilter(
  ipv4: boolean, clientAddress: string, clientPort: number, serverAddress: string, serverPort: number, firstFrame: number, lastFrame: number,
): string {
  const ip = ipv4 ? 'ip' : 'ipv6';
  // Joined, not concatenated: one flat string instead of a rope of a dozen pieces kept per connection.
  return [
    ip, '.addr==', clientAddress, ' && tcp.port==', clientPort, ' && ', ip, '.addr==', serverAddress, ' && tcp.port==', serverPort,
    ' && frame.number>=', firstFrame, ' && frame.number<=', lastFrame,
  ].join('');
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
