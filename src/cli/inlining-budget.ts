/** V8's optimising compiler inlines less when several threads of this process analyse at once (`analyze
 * --threads 2`, `scan --jobs 2` or more). Each thread's isolate compiles the hot code anew, on V8's
 * background threads, which then compete with the analysing threads for the CPUs: on a first capture
 * like bench (a)/10, 1.8 s of compiling against 0.8 s of analysing. A quarter of V8's default cumulative
 * budget (920 bytes of bytecode inlined into one function) makes the graphs to compile smaller: V8's
 * trace of `scan --jobs 2` over 8 captures of 27 MB sums 5.1 s of compiling instead of 9.4 s. Measured
 * on this 2-CPU machine, alternated runs: `analyze` of a 27 MB capture with two threads 1.88 against
 * 2.04 s (7 pairs); `scan --jobs 2` 7.67 against 8.57 s (7 runs each) in one hour, 9.20 against 9.44 s
 * in a slower one, and 13.3 against 14.0 s over 4 captures of 110 MB; bench (a) and (b) with two threads
 * the same within the noise, at the same peak memory. A thread alone loses by it (bench (a) with one
 * thread 11.6 against 11.0 s, `scan --jobs 1` 4-7 % slower): it is left alone then. */
import { setFlagsFromString } from 'node:v8';

/** The flags for `threads` analysing at once (none for one). */
export function inliningFlags(threads: number): string[] {
  return threads > 1 ? ['--max-inlined-bytecode-size-cumulative=240'] : [];
}

/** Sets them for this process (every isolate it starts afterwards too), before the analysis compiles. */
export function setInliningBudget(threads: number): void {
  for (const flag of inliningFlags(threads)) setFlagsFromString(flag);
}
