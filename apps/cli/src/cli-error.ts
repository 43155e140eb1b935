import { EXIT_CODES, type ExitCode } from "./exit-codes.ts";

/** Options of {@linkcode CliError}. */
export interface CliErrorOptions {
  /** The process's exit code; {@linkcode EXIT_CODES.OTHER} unless said. */
  exitCode?: ExitCode;
  /** What the user can do about it, printed after the message. */
  hint?: string;
  /** The underlying error, printed with `--verbose`. */
  cause?: unknown;
}

/**
 * An error the CLI reports as one line (plus a hint) and an exit code, never as a stack trace.
 *
 * @example A usage error with a hint
 * ```ts
 * import { CliError, EXIT_CODES } from "@ctct-bulk/cli";
 * const error = new CliError('Unknown sort "name": expected "email" or "date"', {
 *   exitCode: EXIT_CODES.USAGE,
 *   hint: "Run ctct-bulk export --help",
 * });
 * error.exitCode; // 2
 * ```
 */
export class CliError extends Error {
  override readonly name: "CliError" = "CliError";
  /** The process's exit code. */
  readonly exitCode: ExitCode;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  /**
   * @param message What went wrong, one line.
   * @param options Exit code, hint and cause.
   */
  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? EXIT_CODES.OTHER;
    this.hint = options.hint;
  }

  /**
   * Whether a value is a {@linkcode CliError}, even from another copy of this package.
   *
   * @param value Anything.
   * @returns `true` for a CLI error.
   * @example Guarding a caught value
   * ```ts
   * import { CliError } from "@ctct-bulk/cli";
   * CliError.isInstance(new CliError("No")); // true
   * CliError.isInstance(new Error("No")); // false
   * ```
   */
  static isInstance(value: unknown): value is CliError {
    return value instanceof Error && value.name === "CliError" && "exitCode" in value;
  }
}

/**
 * A usage error: exit code 2 and a hint pointing at the command's help.
 *
 * @param message What was wrong with the command line.
 * @param command The command whose `--help` the hint names, if any.
 * @returns The error to throw.
 * @example A missing option
 * ```ts
 * import { usageError } from "@ctct-bulk/cli";
 * usageError("Missing --list: name at least one list", "import").hint;
 * // "Run ctct-bulk import --help for the options"
 * usageError("Unknown command").hint; // undefined: the CLI points at the general help
 * ```
 */
export function usageError(message: string, command?: string): CliError {
  return new CliError(message, {
    exitCode: EXIT_CODES.USAGE,
    ...(command === undefined ? {} : { hint: `Run ctct-bulk ${command} --help for the options` }),
  });
}
