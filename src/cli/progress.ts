import { SingleBar } from 'cli-progress';

export interface Progress {
  update(bytesRead: number, packets: number): void;
  /** Reading is over: say what comes next until stop(). */
  next(what: string): void;
  stop(): void;
}

const QUIET: Progress = { update: () => undefined, next: () => undefined, stop: () => undefined };

/** A progress bar on an interactive stderr (bytes, packets/s, ETA); nothing otherwise, so logs stay clean. */
export function startProgress(label: string, totalBytes: number | null, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return QUIET;
  const started = Date.now();
  const bar = new SingleBar({
    stream: process.stderr,
    format: totalBytes
      ? `${label} [{bar}] {percentage}% · {mb}/{totalMb} MB · {pps} packets/s · ETA {etaLeft}`
      : `${label} {mb} MB · {pps} packets/s`,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 5,
  });
  const total = totalBytes ?? 1;
  let shown = false;
  bar.start(total, 0, { mb: '0.0', totalMb: (total / 1e6).toFixed(1), pps: 0, etaLeft: etaText(0, total, 0) });
  return {
    update(bytesRead, packets) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(Math.min(bytesRead, total), {
        mb: (bytesRead / 1e6).toFixed(1), pps: Math.round(packets / seconds).toLocaleString('en-US'), etaLeft: etaText(bytesRead, total, seconds),
      });
    },
    next(what) {
      bar.stop();
      process.stderr.write(`${label}: ${what}…`);
      shown = true;
    },
    stop() {
      if (shown) process.stderr.write('\r\u001b[2K');
      else bar.stop();
    },
  };
}

/** Time left to read `total` bytes at the rate so far: "45s", "2m05s", "1h02m", or "–" before there is a
 * rate. Not cli-progress's own ETA: it averages its last updates, and gzip input (compressed bytes,
 * which advance a block at a time) gave it no change over several, so it printed "NFs" (its "INF" cut
 * to two letters) most of the time. */
export function etaText(bytesRead: number, total: number, seconds: number): string {
  if (bytesRead <= 0 || seconds <= 0) return '–';
  const left = Math.max(0, Math.round(((total - bytesRead) * seconds) / bytesRead));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (left < 60) return `${left}s`;
  if (left < 3600) return `${Math.floor(left / 60)}m${two(left % 60)}s`;
  return `${Math.floor(left / 3600)}h${two(Math.floor((left % 3600) / 60))}m`;
}
