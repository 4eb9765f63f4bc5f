/** The style sheet and the sorting script of index.html, inlined so the page stands alone. */
import { cspHash } from '../report/html/safe-html';

export const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
h2 { font-size: 1.1em; margin: 1.6em 0 .4em; }
.meta { color: #555; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3em .6em; border-bottom: 1px solid #e3e3e3; }
th { cursor: pointer; user-select: none; white-space: nowrap; background: #f6f6f6; position: sticky; top: 0; }
th[aria-sort=ascending]::after { content: " ▲"; }
th[aria-sort=descending]::after { content: " ▼"; }
td[data-v] { font-variant-numeric: tabular-nums; }
td a { word-break: break-all; }
.note { color: #666; font-size: .9em; }
.sev { display: inline-block; min-width: 1.5em; padding: 0 .35em; border-radius: .3em; font-size: .85em; color: #fff; text-align: center; }
.sev.critical { background: #c62828; }
.sev.warning { background: #e08a00; }
.sev.info { background: #607d8b; }
.error { color: #c62828; font-weight: 600; }
.warning:not(.sev) { color: #a05f00; }
.ok { color: #2e7d32; }
`;

/** Click (or Enter on) a heading: sort its table by that column, again to reverse. */
export const SORT_SCRIPT = `
document.querySelectorAll('table.sortable').forEach(function (table) {
  var heads = table.querySelectorAll('th');
  heads.forEach(function (th, col) {
    function sort() {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      var numeric = th.getAttribute('data-type') === 'num';
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
        var d = numeric ? (x === '' ? -Infinity : +x) - (y === '' ? -Infinity : +y) : (x < y ? -1 : x > y ? 1 : 0);
        return asc ? d || 0 : -d || 0;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
  });
});
`;

/** Only this page's own style sheet and script may apply, and nothing may be fetched: if a file name
 * ever slipped through escaping, it could neither run nor call out (as in the per-file reports). */
export const CSP = `default-src 'none'; style-src '${cspHash(STYLE)}'; script-src '${cspHash(SORT_SCRIPT)}'; base-uri 'none'; form-action 'none'`;

