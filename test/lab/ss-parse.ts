/** One line of `ss -taneH`: a socket as the kernel reports it. */
export interface SsSocket {
  /** ss's state name: ESTAB, SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, CLOSING, TIME-WAIT,
   * CLOSE-WAIT, LAST-ACK, LISTEN. */
  state: string;
  /** Unread bytes; on a LISTEN socket, the connections waiting in the accept queue. */
  recvQ: number;
  /** Unacknowledged bytes; on a LISTEN socket, the backlog. */
  sendQ: number;
  local: string;
  peer: string;
  /** The socket's cookie (`sk:`): kept from a connection's full socket into its TIME_WAIT, new for a
   * new connection on the same 4-tuple. Empty when ss does not print one. */
  cookie: string;
}

export function parseSs(text: string): SsSocket[] {
  const sockets: SsSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 5) continue;
    const cookie = f.find((x) => x.startsWith('sk:'))?.slice(3) ?? '';
    sockets.push({ state: f[0], recvQ: Number(f[1]), sendQ: Number(f[2]), local: endpoint(f[3]), peer: endpoint(f[4]), cookie });
  }
  return sockets;
}

/** "ip:port" as the report writes it: IPv4-mapped IPv6 (a dual-stack socket's view) back to IPv4. */
function endpoint(text: string): string {
  const mapped = /^\[::ffff:(\d+\.\d+\.\d+\.\d+)\]:(.+)$/.exec(text);
  return mapped ? `${mapped[1]}:${mapped[2]}` : text;
}
