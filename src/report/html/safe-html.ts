/** Markup that is safe by construction: every value interpolated into an `html` template is escaped
 * unless it is itself SafeHtml. A capture is untrusted input, so escaping is the default and the
 * only way around it is `trusted()`, kept for the page's own constant CSS and script. */
import { createHash } from 'node:crypto';

export class SafeHtml {
  constructor(readonly text: string) {}
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

/** The CSP source that allows exactly this inline style or script. */
export function cspHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values (attributes are always double-quoted here). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Constant markup written by this program (never capture data). */
export function trusted(text: string): SafeHtml {
  return new SafeHtml(text);
}

/** SVG coordinates with one decimal: smaller files, no visible difference. */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}
