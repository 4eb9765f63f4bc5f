import { SingleBar } from 'cli-progress';
import { fmtBytes, fmtCount, plural } from '../format';
import type { IndexFile } from '../scan/index-model';
import type { ScanProgress } from '../scan/progress-tracker';
import type { ScanEvents } from '../scan/scan';
import { etaText } from './progress';

export interface ScanDisplay {
  events: ScanEvents;
  stop(): void;
}

export interface DisplayOptions {
  /** Nothing but errors. */
  quiet: boolean;
  /** A bar that redraws itself (an interactive stderr); otherwise one line per event, for logs. */
  bar: boolean;
  /** Stack traces of worker failures. */
  debug: boolean;
}

const PHASE_LABEL: Record<ScanProgress['phase'], string> = { inspect: 'inspect', analyze: 'analyse' };

/** Progress on stderr: a cli-progress bar (files done, packets, throughput, ETA) on a terminal,
 * plain lines otherwise. */
export function scanDisplay(opts: DisplayOptions): ScanDisplay {
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const internalError = (file: string, err: unknown): void => {
    if (opts.debug) say(`tcpteardown: ${file}: ${err instanceof Error ? err.message : String(err)}`);
  };
  if (opts.quiet) return { events: { phase: () => undefined, progress: () => undefined, finished: () => undefined, internalError }, stop: () => undefined };
  if (!opts.bar) {
    return {
      events: {
        phase: (p) => say(phaseLine(p)),
        progress: () => undefined,
        finished: (entry, p) => say(`[${p.unitsDone}/${p.unitsTotal}] ${entryLine(entry)}`),
        internalError,
      },
      stop: () => undefined,
    };
  }
  let bar: SingleBar | null = null;
  let started = Date.now();
  const values = (p: ScanProgress): Record<string, string> => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    return {
      phase: PHASE_LABEL[p.phase],
      files: `${fmtCount(p.unitsDone)}/${fmtCount(p.unitsTotal)}`,
      packets: fmtCount(p.packets),
      rate: `${fmtBytes(p.bytesDone / seconds)}/s`,
      etaLeft: etaText(p.bytesDone, p.bytesTotal, seconds),
    };
  };
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  return {
    events: {
      phase(p) {
        stop();
        // A phase that reads (almost) nothing is over before a bar could say anything.
        if (p.unitsTotal === 0 || (p.phase === 'inspect' && p.bytesTotal === 0)) return;
        started = Date.now();
        bar = new SingleBar({
          stream: process.stderr,
          format: '{phase} [{bar}] {percentage}% · {files} files · {packets} packets · {rate} · ETA {etaLeft}',
          hideCursor: true,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 5,
        });
        bar.start(Math.max(p.bytesTotal, 1), 0, values(p));
      },
      progress(p) {
        bar?.update(p.bytesDone, values(p));
      },
      finished(_entry, p) {
        bar?.update(p.bytesDone, values(p));
      },
      internalError,
    },
    stop,
  };
}

function phaseLine(p: ScanProgress): string {
  if (p.phase === 'inspect') {
    const whole = p.bytesTotal > 0 ? `; reading ${fmtBytes(p.bytesTotal)} of candidate rotated sets whole` : '';
    return `inspecting ${fmtCount(p.unitsTotal)} files${whole}`;
  }
  return `analysing ${fmtCount(p.unitsTotal)} captures (${fmtBytes(p.bytesTotal)})`;
}

/** "captures/a.pcap: ok · 1,234 packets · 3 findings (1 critical)". */
export function entryLine(e: IndexFile): string {
  const name = e.members ? `${e.file} (+${e.members.length - 1} merged)` : e.file;
  if (e.status === 'error') return `${name}: error: ${e.error ?? ''}`;
  const s = e.findings.by_severity;
  const worst = (['critical', 'warning', 'info'] as const).filter((k) => s[k] > 0).map((k) => `${fmtCount(s[k])} ${k}`);
  return `${name}: ${e.status} · ${plural(e.packets, 'packet')} · ${plural(e.findings.total, 'finding')}${worst.length > 0 ? ` (${worst.join(', ')})` : ''}`;
}
