/** The page's only script: filter and sort the connections table, copy Wireshark filters. It is written
 * here as a function so the compiler checks it, and inlined with Function.prototype.toString: it must
 * use nothing from outside its own body. Without it (scripts off) the page still shows everything. */
export function pageBehaviour(): void {
  const table = document.getElementById('connections-table');
  const input = document.getElementById('connections-filter');
  const count = document.getElementById('connections-count');
  if (table instanceof HTMLTableElement && input instanceof HTMLInputElement && count) {
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const texts = rows.map((r) => (r.textContent ?? '').toLowerCase());
    const total = rows.length.toLocaleString('en-US');
    input.addEventListener('input', () => {
      const terms = input.value.toLowerCase().split(/\s+/).filter((t) => t !== '');
      let shown = 0;
      rows.forEach((row, i) => {
        row.hidden = !terms.every((t) => texts[i].includes(t));
        if (!row.hidden) shown++;
      });
      count.textContent = `${shown.toLocaleString('en-US')} of ${total} rows`;
    });
    table.querySelectorAll('th button').forEach((button, col) => {
      button.addEventListener('click', () => {
        const th = button.parentElement;
        const ascending = th?.getAttribute('aria-sort') !== 'ascending';
        table.querySelectorAll('th').forEach((h) => h.removeAttribute('aria-sort'));
        th?.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        const key = (row: HTMLTableRowElement): string => row.cells[col].dataset.v ?? row.cells[col].textContent ?? '';
        const numeric = rows.every((r) => key(r) !== '' && !Number.isNaN(Number(key(r))));
        const order = (a: HTMLTableRowElement, b: HTMLTableRowElement): number =>
          (numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b), 'en', { numeric: true }));
        body.append(...rows.slice().sort((a, b) => (ascending ? order(a, b) : order(b, a))));
      });
    });
  }
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button.copy') : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const text = button.title;
    // Where the clipboard is not available (some browsers on file:// pages), the text is offered to copy by hand.
    const offer = (): void => { window.prompt('Copy this Wireshark filter:', text); };
    if (!navigator.clipboard) {
      offer();
      return;
    }
    navigator.clipboard.writeText(text).then(() => {
      button.textContent = 'copied';
      setTimeout(() => { button.textContent = 'copy'; }, 1500);
    }, offer);
  });
}
