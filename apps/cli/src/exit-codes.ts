/**
 * The exit codes of `ctct-bulk`, one per outcome a script may want to tell apart.
 *
 * @example Telling a job that failed from one with rejected lines
 * ```ts
 * import { EXIT_CODES } from "@ctct-bulk/cli";
 * EXIT_CODES.JOB_FAILED; // 3
 * EXIT_CODES.LINE_ERRORS; // 4
 * ```
 */
export const EXIT_CODES: {
  readonly SUCCESS: 0;
  readonly OTHER: 1;
  readonly USAGE: 2;
  readonly JOB_FAILED: 3;
  readonly LINE_ERRORS: 4;
  readonly AUTH: 5;
  readonly INTERRUPTED: 130;
} = {
  SUCCESS: 0,
  OTHER: 1,
  USAGE: 2,
  JOB_FAILED: 3,
  LINE_ERRORS: 4,
  AUTH: 5,
  INTERRUPTED: 130,
};

/** One of the values of {@linkcode EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * What each exit code means, in the order `--help` and the reference print them.
 *
 * @example Printing the table
 * ```ts
 * import { EXIT_CODE_MEANINGS } from "@ctct-bulk/cli";
 * EXIT_CODE_MEANINGS[0]; // { code: 0, meaning: "Success: …" }
 * ```
 */
export const EXIT_CODE_MEANINGS: readonly { code: ExitCode; meaning: string }[] = [
  { code: 0, meaning: "Success (every awaited job completed without errors)" },
  { code: 1, meaning: "Other error: network, server, a file that cannot be written" },
  { code: 2, meaning: "Usage error: bad option or value, unreadable input file" },
  { code: 3, meaning: "Job failed: an awaited activity ended in ERROR" },
  { code: 4, meaning: "Per-line errors: some rows were refused (see --rejects)" },
  { code: 5, meaning: "Authentication: missing, wrong or refused credentials" },
  { code: 130, meaning: "Interrupted (Ctrl-C or SIGTERM); continue an import with --resume" },
];
