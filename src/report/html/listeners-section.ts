/** One timeline per listener, those with incidents first; a capture of many servers gets the first few. */
import { plural } from '../../format';
import type { Report } from '../report-model';
import { listenersByConcern } from './listener-activity';
import { html, type SafeHtml } from './safe-html';
import { listenerTimeline } from './timeline-svg';

export const MAX_LISTENERS = 6;
/** A timeline shows how connections overlapped: with fewer, their ladders and the table say more. */
const MIN_CONNECTIONS = 3;
const MAX_NAMED = 8;

export function listenersSection(report: Report): SafeHtml {
  const listeners = listenersByConcern(report);
  if (listeners.length === 0) return html``;
  const busy = listeners.filter((l) => l.conns.length >= MIN_CONNECTIONS);
  const shown = busy.slice(0, MAX_LISTENERS);
  const rest = listeners.filter((l) => !shown.includes(l));
  const named = rest.slice(0, MAX_NAMED).map((l) => `${l.endpoint} (${plural(l.conns.length, 'connection')})`).join(', ');
  return html`<section id="listeners"><h2>Listeners</h2>
${shown.length > 0 ? html`<p>Each connection is a lane from its first to its last packet: <span class="key waiting">waiting in the accept queue</span> (handshake done, the application silent past the accept-delay threshold),
<span class="key served">served</span> (from accept to the server's FIN or a RST), <span class="key half">half-closed</span> (one side in CLOSE_WAIT). Hover a lane for its numbers.</p>` : null}
${shown.map((l) => html`<h3 class="mono">${l.endpoint}</h3>${listenerTimeline(l, report)}`)}
${rest.length > 0 ? html`<p class="note">Timelines are drawn for the first ${MAX_LISTENERS} listeners with at least ${MIN_CONNECTIONS} connections.
Not drawn: ${named}${rest.length > MAX_NAMED ? ` and ${plural(rest.length - MAX_NAMED, 'more listener')}` : ''}; their connections are in the table below.</p>` : null}
</section>`;
}
