/** Where a scan phase stands, for progress displays. */
export interface ScanProgress {
  phase: 'inspect' | 'analyze';
  /** inspect: files; analyze: files or merged sets. */
  unitsDone: number;
  unitsTotal: number;
  /** Raw input bytes (compressed bytes for gzip); inspect counts only the files it reads whole. */
  bytesDone: number;
  bytesTotal: number;
  packets: number;
}

/** What a phase tells the one running the scan. */
export interface PhaseEvents {
  /** A phase begins (unitsDone 0). */
  phase(p: ScanProgress): void;
  progress(p: ScanProgress): void;
  /** A worker failed on `file` (a bug): the error, with its stack, for --debug. */
  internalError(file: string, err: unknown): void;
}

export interface TaskProgress {
  update(bytesRead: number, packets: number): void;
  /** `packets`: the final count, when the task knows it (progress updates are throttled). */
  done(packets?: number): void;
}

/** Adds up the progress of the tasks of one phase running at once. */
export class ProgressTracker {
  private unitsDone = 0;
  private bytesDone = 0;
  private packetsDone = 0;
  private readonly running = new Set<{ bytes: number; packets: number }>();

  constructor(
    private readonly phase: ScanProgress['phase'],
    private readonly unitsTotal: number,
    private readonly bytesTotal: number,
    private readonly events: PhaseEvents,
  ) {
    events.phase(this.snapshot());
  }

  /** `sizeBytes`: what the task counts towards bytesTotal once done (0 when it reads next to nothing).
   * A task counts as running from its first update: queued ones cost the snapshots nothing. */
  task(sizeBytes: number): TaskProgress {
    const now = { bytes: 0, packets: 0 };
    return {
      update: (bytes, packets) => {
        this.running.add(now);
        now.bytes = Math.min(bytes, sizeBytes);
        now.packets = packets;
        this.events.progress(this.snapshot());
      },
      done: (packets = now.packets) => {
        this.running.delete(now);
        this.unitsDone++;
        this.bytesDone += sizeBytes;
        this.packetsDone += packets;
      },
    };
  }

  snapshot(): ScanProgress {
    let bytes = this.bytesDone;
    let packets = this.packetsDone;
    for (const t of this.running) {
      bytes += t.bytes;
      packets += t.packets;
    }
    const { phase, unitsDone, unitsTotal, bytesTotal } = this;
    return { phase, unitsDone, unitsTotal, bytesDone: bytes, bytesTotal, packets };
  }
}
