import { html, type SafeHtml } from './safe-html';

/** A Wireshark filter (or any text to paste elsewhere) with a button that copies it. */
export function copyable(text: string): SafeHtml {
  return html`<code>${text}</code>${copyButton(text)}`;
}

/** The button alone, where there is no room for the text: the text is its title, shown on hover and
 * copied by the page's script. */
export function copyButton(text: string): SafeHtml {
  return html`<button type="button" class="copy" title="${text}">copy</button>`;
}
