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
      ? `${label} [{bar}] {percentage}% · {mb}/{totalMb} MB · {pps} packets/s · ETA {eta_formatted}`
      : `${label} {mb} MB · {pps} packets/s`,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
    fps: 5,
  });
  const total = totalBytes ?? 1;
  let shown = false;
  bar.start(total, 0, { mb: '0.0', totalMb: (total / 1e6).toFixed(1), pps: 0 });
  return {
    update(bytesRead, packets) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(Math.min(bytesRead, total), { mb: (bytesRead / 1e6).toFixed(1), pps: Math.round(packets / seconds).toLocaleString('en-US') });
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
