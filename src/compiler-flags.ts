/** V8's optimising compiler, tuned to how many threads analyse at once and whether a CPU is left over.
 *
 * Inlining: V8 inlines less when several threads of this process analyse at once (`analyze --threads 2`
 * of a capture under FULL_INLINING_FROM_BYTES, `scan --jobs 2` or more). Each thread's isolate compiles
 * the hot code anew, on V8's background threads, which then compete with the analysing threads for the
 * CPUs: on a first capture like bench (a)/10, 1.8 s of compiling against 0.8 s of analysing. A quarter of
 * V8's default cumulative budget (920 bytes of bytecode inlined into one function) makes the graphs to
 * compile smaller: V8's trace of `scan --jobs 2` over 8 captures of 27 MB sums 5.1 s of compiling instead
 * of 9.4 s. Measured on this 2-CPU machine, alternated runs: `analyze` of a 27 MB capture with two
 * threads 1.88 against 2.04 s (7 pairs); `scan --jobs 2` 7.67 against 8.57 s (7 runs each) in one hour,
 * 9.20 against 9.44 s in a slower one, and 13.3 against 14.0 s over 4 captures of 110 MB; bench (a) and
 * (b) with two threads then the same within the noise, at the same peak memory (measured again since,
 * they lose by it: below). A thread alone loses by it (bench (a) with one thread 11.6 against 11.0 s,
 * `scan --jobs 1` 4-7 % slower): it is left alone then. A large capture loses by it too: it runs long
 * enough for code that does more per call to repay its compiling. `analyze` with two threads, alternated
 * runs, V8's budget against the quarter: bench (e) (1.8 GB) 1.58-1.74 against 1.75-1.87 s, (a) (275 MB)
 * 4.80-5.15 against 5.11-5.59 s, and with --json 6.20-6.51 against 6.55-6.68 s; a 110 MB cut of (a) the
 * same (2.55-2.65 against 2.49-2.60 s), a 27 MB one slower (1.30-1.36 against 1.18-1.27 s). So `analyze`
 * keeps V8's budget for a capture of FULL_INLINING_FROM_BYTES or more, or of a size not known (standard
 * input, gzip), as for its threads (see largeCapture in cli/analyze-command.ts).
 *
 * Compiling in the background: V8 compiles on threads of its own while the code runs on, which costs more
 * CPU in all (the job is handed over, and its result installed, between threads) but is free where a CPU
 * would otherwise idle. Where none does, the analysing thread compiles itself. V8 reads that flag when an
 * isolate starts: set here, it reaches the threads started after it (scan's workers), not the calling
 * one, so `analyze` leaves it. Measured on this 2-CPU machine, alternated runs: `scan --jobs 2` over 8
 * captures of 27 MB 6.18 against 6.57 s (11.7 against 12.3 CPU s, 3 runs each), over 4 of 110 MB 10.10
 * against 11.17 s (19.0 against 21.4 CPU s); on one CPU (taskset) `scan --jobs 1` 9.94-10.17 against
 * 10.83-11.06 s. Where a CPU is left, the background wins: `scan --jobs 1` on two CPUs 8.79 against
 * 9.76 s. */
import { setFlagsFromString } from 'node:v8';

/** Bytes of capture from which one analysis keeps V8's inlining budget on two threads (see the top). */
export const FULL_INLINING_FROM_BYTES = 128 << 20;

/** The flags for `threads` threads analysing at once; `spareCpu`: a CPU is left for V8's background work;
 * `large`: the input is large enough for V8's inlining budget (see the top). */
export function compilerFlags(threads: number, spareCpu: boolean, large = false): string[] {
  return [
    ...(threads > 1 && !large ? ['--max-inlined-bytecode-size-cumulative=240'] : []),
    ...(spareCpu ? [] : ['--no-concurrent-recompilation']),
  ];
}

/** Sets them for this process (every isolate it starts afterwards too), before the analysis compiles. */
export function setCompilerFlags(threads: number, spareCpu: boolean, large = false): void {
  for (const flag of compilerFlags(threads, spareCpu, large)) setFlagsFromString(flag);
}
