/** Well-known default timeouts (../shared/docs/reference.md), to name a delay when it matches one. */

export interface KnownTimeout {
  seconds: number;
  what: string;
}

const KNOWN_TIMEOUTS: readonly KnownTimeout[] = [
  { seconds: 5, what: 'Node.js server.keepAliveTimeout (5 s)' },
  { seconds: 15, what: 'Go TCP keep-alive probe period (15 s)' },
  { seconds: 30, what: 'Go http.DefaultTransport dialer keep-alive (30 s)' },
  { seconds: 60, what: 'nginx upstream keepalive_timeout / AWS ALB idle timeout / Linux tcp_fin_timeout (60 s)' },
  { seconds: 65, what: 'nginx keepalive_timeout as many distributions set it (65 s)' },
  { seconds: 75, what: 'nginx keepalive_timeout default (75 s)' },
  { seconds: 90, what: "Go http.Transport's IdleConnTimeout (90 s)" },
  { seconds: 115, what: 'Firefox HTTP keep-alive (115 s)' },
  { seconds: 300, what: 'OkHttp connection pool keep-alive / Zeek tcp_inactivity_timeout (5 min)' },
  { seconds: 350, what: 'AWS NLB / NAT gateway idle timeout (350 s)' },
  { seconds: 400, what: 'Cloudflare client keep-alive (400 s)' },
  { seconds: 600, what: 'Suricata established-flow timeout (600 s)' },
  { seconds: 610, what: 'GCP external HTTP(S) load balancer keep-alive (610 s)' },
  { seconds: 900, what: 'Cloudflare origin idle timeout (900 s)' },
  { seconds: 3600, what: 'Envoy HTTP idle_timeout (1 h)' },
];

/** The known timeout a measured delay matches: within 3 % or 0.5 s, whichever is larger. */
export function matchKnownTimeout(seconds: number): KnownTimeout | null {
  let best: KnownTimeout | null = null;
  for (const t of KNOWN_TIMEOUTS) {
    const tolerance = Math.max(0.5, t.seconds * 0.03);
    // A timer fires at or after its setting, plus a little scheduling and capture delay.
    if (seconds >= t.seconds - tolerance && seconds <= t.seconds + tolerance) {
      if (best === null || Math.abs(seconds - t.seconds) < Math.abs(seconds - best.seconds)) best = t;
    }
  }
  return best;
}

/** Linux orphaned FIN_WAIT2 lifetime (net.ipv4.tcp_fin_timeout default). */
export const LINUX_FIN_TIMEOUT_S = 60;
