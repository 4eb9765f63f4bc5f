/** Small formatting helpers shared by the human-readable writers. */

/** 1234567 → "1,234,567" (-0 → "0"). Not toLocaleString, but for a fraction or a whole number beyond 2^53
 * (whose String is exponential from 1e21): it is slow (this runs for every finding of large captures), and
 * its first call loads ICU's number formatting, 15 ms of a run. */
export function fmtCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  if (Math.abs(n) < 1000) return String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtCount(n)} ${n === 1 ? one : many}`;
}

/** Seconds with a precision that suits their size: 0.2 ms, 41.3 ms, 2.41 s, 91.0 s, 12.5 min. */
export function fmtDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 0.001) return `${(seconds * 1e3).toFixed(2)} ms`;
  if (s < 1) return `${(seconds * 1e3).toFixed(1)} ms`;
  if (s < 10) return `${seconds.toFixed(2)} s`;
  if (s < 600) return `${seconds.toFixed(1)} s`;
  if (s < 36000) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Epoch seconds as "2026-11-24 09:14:02.123 UTC"; `withDate` false drops the date. */
export function fmtTime(epochSeconds: number, withDate = true, decimals = 3): string {
  const ms = Math.floor(epochSeconds * 1000);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return String(epochSeconds);
  const iso = d.toISOString();
  const frac = decimals > 0 ? (epochSeconds - Math.floor(epochSeconds)).toFixed(decimals).slice(1) : '';
  const time = iso.slice(11, 19) + frac;
  return withDate ? `${iso.slice(0, 10)} ${time}` : time;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
