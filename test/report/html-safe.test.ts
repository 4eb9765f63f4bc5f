/** The escaping template every HTML builder goes through. */
import { escapeHtml, html, px, trusted } from '../../src/report/html/safe-html';

describe('safe html', () => {
  it('escapes the five characters that matter in text and double-quoted attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;');
  });

  it('escapes every interpolated value, in text and in attributes', () => {
    const evil = '"><script>alert(1)</script>';
    expect(html`<p title="${evil}">${evil}</p>`.text)
      .toBe('<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('nests built markup as is, joins arrays, drops null, undefined and false, prints numbers', () => {
    const items = ['a<b', 'c'].map((t) => html`<li>${t}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });

  it('passes constant markup through only when asked', () => {
    expect(html`${trusted('<b>')}${'<b>'}`.text).toBe('<b>&lt;b&gt;');
  });

  it('rounds coordinates to one decimal', () => {
    expect([px(12.345), px(3), px(-0.04)]).toEqual(['12.3', '3', '0']);
  });
});
