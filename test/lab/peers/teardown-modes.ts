/** The ways a lab connection ends. The client names the mode in its first line ("mode arg\n"); the
 * teardown server (teardown-server.py) and client (teardown-client.ts) each play their half. */
const MODES = {
  'client-closes': 'the client closes after the answer, the server right after (prompt normal close)',
  'server-closes': 'the server closes with its answer, the client right after',
  simultaneous: 'both close at one agreed moment (arg: ms after connecting): on a delayed wire the FINs cross',
  'half-close': 'the client sends its request and its FIN at once; the server answers after that FIN, in three parts 100 ms apart, then closes',
  leak: 'the client closes (close(), orphaned) after the answer; the server never closes: CLOSE_WAIT to the end',
  'unread-close': 'the client sends data the server never reads; the server closes arg ms later: RST instead of FIN',
  linger0: 'arg ms after the answer the client closes with SO_LINGER 0: RST instead of FIN',
  'zero-window': 'the server stops reading for arg ms while the client sends `bytes` and closes',
} as const;

type Mode = keyof typeof MODES;

/** One connection of a client's plan. */
export interface Step {
  /** When to connect, in ms after the client started. */
  atMs: number;
  mode: Mode;
  host: string;
  port: number;
  /** Connect from this port (TIME_WAIT reuse). */
  localPort?: number;
  /** simultaneous: ms after connecting; unread-close: ms before the server closes; linger0: ms before
   * the client resets; zero-window: ms the server does not read. */
  arg?: number;
  /** zero-window: bytes the client sends. */
  bytes?: number;
}
