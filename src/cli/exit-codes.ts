/** Documented in README.md ("Exit codes"). Bits 1 and 2 combine in batch runs. */
export const EXIT_OK = 0;
/** A finding at or above --fail-on. */
export const EXIT_FINDINGS = 1;
/** An input could not be read as a capture. */
export const EXIT_UNREADABLE = 2;
/** Wrong command-line usage. */
export const EXIT_USAGE = 64;
/** An output file could not be written (EX_CANTCREAT). */
export const EXIT_OUTPUT = 73;
/** A bug in tcpteardown (the message says how to see the stack trace). */
export const EXIT_INTERNAL = 70;
