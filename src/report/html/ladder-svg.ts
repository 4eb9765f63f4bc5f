/** A connection as a ladder (sequence) diagram in inline SVG: client and server as columns, one arrow
 * per packet with its flags, relative Seq/Ack, frame number and time, and each side's TCP state. */
import type { TcpState } from '../../tcp/tcp-state';
import { fmtCount, fmtDuration, fmtTime, plural } from '../../format';
import type { ConnectionJson, Role } from '../report-model';
import { layoutLadder, SLOPE, type LadderRow, type StateSpan } from './ladder-layout';
import type { ConnectionPackets } from './ladder-packets';
import { html, px, type SafeHtml } from './safe-html';

const WIDTH = 820;
const X: Record<Role, number> = { client: 280, server: 660 };

/** State colours by what the state means for the teardown (classes in styles.ts). */
const STATE_CLASS: Record<TcpState, string> = {
  SYN_SENT: 'st-open', SYN_RECEIVED: 'st-open', ESTABLISHED: 'st-est',
  FIN_WAIT_1: 'st-closer', FIN_WAIT_2: 'st-closer', CLOSING: 'st-closer', TIME_WAIT: 'st-closer',
  CLOSE_WAIT: 'st-wait', LAST_ACK: 'st-wait', CLOSED: 'st-closed', RESET: 'st-reset',
};

/** `evidence`: frames that prove the incident, drawn in red. */
export function ladderSvg(conn: ConnectionJson, packets: ConnectionPackets, evidence: ReadonlySet<number>): SafeHtml {
  const layout = layoutLadder(conn, packets);
  const label = `Ladder diagram of connection #${conn.id}, ${conn.client} to ${conn.server}`;
  return html`<svg class="ladder" viewBox="0 0 ${WIDTH} ${px(layout.height)}" width="${WIDTH}" height="${px(layout.height)}" role="img" aria-label="${label}" data-connection="${conn.id}">
${host('client', conn.client)}${host('server', conn.server)}
<line class="life" x1="${X.client}" y1="40" x2="${X.client}" y2="${px(layout.height - 10)}"/><line class="life" x1="${X.server}" y1="40" x2="${X.server}" y2="${px(layout.height - 10)}"/>
${layout.states.map(stateBar)}${layout.rows.map((r) => row(r, conn, evidence))}${stateLabels(layout.states)}</svg>`;
}

function host(role: Role, endpoint: string): SafeHtml {
  return html`<text class="role" x="${X[role]}" y="14" text-anchor="middle">${role}</text><text class="host" x="${X[role]}" y="30" text-anchor="middle">${endpoint}</text>`;
}

function row(r: LadderRow, conn: ConnectionJson, evidence: ReadonlySet<number>): SafeHtml {
  if (r.kind !== 'packet') {
    const text = r.kind === 'gap' ? `… ${fmtDuration(r.seconds)} …` : `… ${plural(r.count, 'packet')} over ${fmtDuration(r.seconds)} not drawn …`;
    const mid = r.y + SLOPE / 2;
    return html`<g class="${r.kind}">${[X.client, X.server].map((x) => html`<rect class="break" x="${x - 6}" y="${px(mid - 7)}" width="12" height="14"/><path class="zigzag" d="M${x - 6} ${px(mid - 2)}l12 -5M${x - 6} ${px(mid + 5)}l12 -5"/>`)}<text x="${(X.client + X.server) / 2}" y="${px(mid + 4)}" text-anchor="middle">${text}</text></g>
`;
  }
  const p = r.packet;
  const [x1, x2] = p.from === 'client' ? [X.client, X.server] : [X.server, X.client];
  const y2 = r.y + SLOPE;
  const dir = Math.sign(x2 - x1);
  const numbers = [`Seq=${r.relSeq}`, ...(r.relAck === null ? [] : [`Ack=${r.relAck}`]), `Len=${p.len}`,
    ...(p.window === 0 && !p.label.includes('RST') ? ['Win=0'] : [])].join(' ');
  const title = `frame ${p.frame} · ${fmtTime(p.at)} UTC · +${(p.at - conn.start).toFixed(6)} s · ${p.from} → ${p.from === 'client' ? 'server' : 'client'}`
    + ` · ${p.label} · seq ${p.seq}${p.ack === null ? '' : ` ack ${p.ack}`} (raw) · len ${p.len}${p.window === null ? '' : ` · win ${p.window}`}`;
  return html`<g class="pkt${evidence.has(p.frame) ? ' evidence' : ''}" data-frame="${p.frame}"><title>${title}</title>\
<text class="frame" x="4" y="${px(r.y + 4)}">#${fmtCount(p.frame)}</text><text class="time" x="78" y="${px(r.y + 4)}">${fmtTime(p.at, false, 6)}</text>\
<line x1="${x1}" y1="${r.y}" x2="${x2}" y2="${y2}"/><path class="head" d="M${x2} ${y2}l${-dir * 9} -4l0 8z"/>\
<text class="flags" x="${(x1 + x2) / 2}" y="${px(r.y + SLOPE / 2 - 5)}" text-anchor="middle"><tspan class="flag-names">${p.label}</tspan> ${numbers}</text></g>
`;
}

function stateBar(s: StateSpan): SafeHtml {
  if (s.to <= s.from) return html``;
  return html`<rect class="state ${STATE_CLASS[s.state]}" x="${X[s.side] - 3}" y="${px(s.from)}" width="6" height="${px(s.to - s.from)}"><title>${s.side}: ${s.state}${s.inferred ? ' (inferred)' : ''}</title></rect>`;
}

/** State names beside each lifeline, outside the arrows; pushed down when two would overlap. */
function stateLabels(spans: StateSpan[]): SafeHtml[] {
  const lastY: Record<Role, number> = { client: -Infinity, server: -Infinity };
  return spans.map((s) => {
    const y = Math.max(s.from + 4, lastY[s.side] + 11);
    lastY[s.side] = y;
    const x = s.side === 'client' ? X.client - 8 : X.server + 8;
    return html`<text class="state-name ${STATE_CLASS[s.state]}" x="${x}" y="${px(y)}" text-anchor="${s.side === 'client' ? 'end' : 'start'}">${s.state}${s.inferred ? '?' : ''}</text>`;
  });
}
