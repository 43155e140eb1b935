import { CliError } from "./cli-error.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import { redactSecrets } from "./secrets.ts";

/** Options of {@linkcode describeError}. */
export interface DescribeErrorOptions {
  /** Add the cause chain (and, for unexpected errors, the stack). */
  verbose?: boolean;
  /** The run's interrupt signal: an abort while it is set means exit code 130. */
  signal?: AbortSignal | undefined;
  /** The command being run, for the hint of a usage error. */
  command?: string | undefined;
  /** Whether the run was against `--sandbox`'s fake server, whose account starts empty. */
  sandbox?: boolean | undefined;
}

/** What to print about an error, and the exit code it means. */
export interface ErrorDescription {
  lines: string[];
  exitCode: number;
}

// The transport's errors, by their literal `name` (stable across copies of the package), with
// the exit code and the advice for each.
const TRANSPORT_ERRORS: Record<string, { exitCode: number; hint?: string }> = {
  UnauthorizedError: {
    exitCode: EXIT_CODES.AUTH,
    hint: "Check CTCT_USERNAME with CTCT_API_KEY and CTCT_PASSWORD (or CTCT_ACCESS_TOKEN), or run ctct-bulk login",
  },
  ForbiddenError: {
    exitCode: EXIT_CODES.AUTH,
    hint: "These credentials belong to another account than CTCT_USERNAME: check the username",
  },
  ActivityFailedError: {
    exitCode: EXIT_CODES.JOB_FAILED,
    hint: "See ctct-bulk status <id> for the job's errors",
  },
  NetworkError: {
    exitCode: EXIT_CODES.OTHER,
    hint: "Check the network and --base-url, then run again",
  },
  TimeoutError: {
    exitCode: EXIT_CODES.OTHER,
    hint: "The server did not answer in time: run again later",
  },
  RateLimitedError: {
    exitCode: EXIT_CODES.OTHER,
    hint: "Too many requests: wait a minute and run again",
  },
  ServerError: {
    exitCode: EXIT_CODES.OTHER,
    hint: "The server failed: run again later (an import that left a state file continues with --resume)",
  },
  ResponseLostError: {
    exitCode: EXIT_CODES.OTHER,
    hint: "The answer to a create was lost: check ctct-bulk activities before sending again",
  },
  ListNotFoundError: {
    exitCode: EXIT_CODES.USAGE,
    hint: "Run ctct-bulk lists to see the account's lists",
  },
  AmbiguousListNameError: {
    exitCode: EXIT_CODES.USAGE,
    hint: "Name the list by its id (ctct-bulk lists shows them)",
  },
  NotFoundError: { exitCode: EXIT_CODES.OTHER },
  BadRequestError: { exitCode: EXIT_CODES.OTHER },
  InvalidRequestError: { exitCode: EXIT_CODES.USAGE },
  PayloadTooLargeError: { exitCode: EXIT_CODES.OTHER, hint: "Lower --chunk-size" },
  WaitTimeoutError: {
    exitCode: EXIT_CODES.OTHER,
    hint: "The job is still running: check it later with ctct-bulk wait <id>",
  },
};

/**
 * What to do about a 404: the API lives under `…/ws/customers/{username}`, so a 404 from a URL
 * without `/ws/customers/` means a wrong base URL; else an activity has expired, or a list is not
 * the account's.
 */
function notFoundHint(error: Error, sandbox: boolean): string | undefined {
  const raw = (error as { url?: unknown }).url;
  if (typeof raw !== "string") return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  if (!url.pathname.includes("/ws/customers/")) {
    // The segments before "{username}/lists…" or "{username}/activities…" were the base URL's.
    const resource = segments.findIndex(
      (segment) => segment === "lists" || segment === "activities",
    );
    let base = resource > 0 ? segments.slice(0, resource - 1) : [];
    // A misspelt "/ws/customers" ("/ws/custom", "/ws") is replaced, not appended to.
    const ws = base.findLastIndex((segment) => segment.toLowerCase() === "ws");
    if (ws >= 0) base = base.slice(0, ws);
    return `The API's base URL ends in /ws/customers: did you mean --base-url ${url.origin}/${[...base, "ws", "customers"].join("/")}?`;
  }
  // Each --sandbox run has its own fake server: an activity of an earlier run is not there.
  if (segments.includes("activities") && sandbox)
    return "--sandbox starts every run from an empty account: to keep activities between commands, run ctct-bulk fake-server and point CTCT_BASE_URL at it";
  if (segments.includes("activities"))
    return "Activities are kept for 14 days; ctct-bulk activities lists them";
  if (segments.includes("lists")) return "Run ctct-bulk lists to see the account's lists";
  return undefined;
}

/**
 * The system's reason under a network error (`connect ECONNREFUSED 127.0.0.1:8787`, `getaddrinfo
 * ENOTFOUND host`): fetch says only "fetch failed", which tells an operator nothing.
 */
function networkReason(error: unknown): string | undefined {
  let reason: string | undefined;
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause instanceof Error && depth < 8; depth++) {
    if ((cause as { code?: unknown }).code !== undefined && cause.message) reason = cause.message;
    cause = cause.cause;
  }
  return reason;
}

function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && cause !== null && depth < 8; depth++) {
    const text =
      cause instanceof Error
        ? `${cause.name}: ${cause.message}`
        : typeof cause === "string"
          ? cause
          : JSON.stringify(cause);
    lines.push(`  Caused by ${text}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return lines;
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "AbortError" || (error as { code?: string }).code === "ABORT_ERR")
  );
}

/**
 * Describes an error for people: one line saying what went wrong, one saying what to do, and with
 * `verbose` the cause chain. Never a stack trace unless `verbose` and the error was unexpected;
 * never a secret (known credentials are replaced by `***`).
 *
 * @param error Anything thrown.
 * @param options Verbosity and the interrupt signal.
 * @returns The lines to print on stderr and the exit code.
 * @example A missing credential
 * ```ts
 * import { CliError, describeError, EXIT_CODES } from "@ctct-bulk/cli";
 * describeError(new CliError("No credentials", { exitCode: EXIT_CODES.AUTH, hint: "Run ctct-bulk login" }));
 * // { lines: ["Error: No credentials", "Run ctct-bulk login"], exitCode: 5 }
 * ```
 */
export function describeError(
  error: unknown,
  options: DescribeErrorOptions = {},
): ErrorDescription {
  let exitCode: number = EXIT_CODES.OTHER;
  let message: string;
  let hint: string | undefined;
  let expected = true;
  if (
    (options.signal?.aborted || isAbort(error)) &&
    !(CliError.isInstance(error) && error.exitCode === EXIT_CODES.INTERRUPTED)
  ) {
    message = "Interrupted";
    hint =
      options.command === "import" || options.command === "remove"
        ? "An import continues where it stopped with --resume"
        : undefined;
    exitCode = EXIT_CODES.INTERRUPTED;
  } else if (CliError.isInstance(error)) {
    message = error.message;
    hint =
      error.hint ??
      (error.exitCode === EXIT_CODES.USAGE
        ? `Run ctct-bulk ${options.command ? `${options.command} ` : ""}--help for the options`
        : undefined);
    exitCode = error.exitCode;
  } else if (error instanceof Error && error.name in TRANSPORT_ERRORS) {
    const known = TRANSPORT_ERRORS[error.name]!;
    message = error.message;
    const reason = error.name === "NetworkError" ? networkReason(error) : undefined;
    if (reason && !message.includes(reason)) message = `${message} (${reason})`;
    hint =
      known.hint ??
      (error.name === "NotFoundError" ? notFoundHint(error, options.sandbox === true) : undefined);
    exitCode = known.exitCode;
  } else if (error instanceof Error && error.name === "ContactFileError") {
    // An input file that cannot be read as contacts is the usage error of the exit code table.
    exitCode = EXIT_CODES.USAGE;
    message = error.message;
    if (message.includes("Invalid UTF-8")) {
      hint =
        "Save the file as UTF-8, or name its encoding with --encoding (windows-1252 for Excel's CSV on Windows)";
    } else
      hint =
        options.command === "import" || options.command === "remove"
          ? "Fix that line, then run the same command with --resume: what was sent stays sent (ctct-bulk validate lists every problem)"
          : "Fix the file there (ctct-bulk validate lists every problem) and run again";
  } else if (error instanceof Error) {
    message = error.message || error.name;
    hint = options.verbose ? undefined : "Run again with --verbose for details";
    expected = false;
  } else {
    message = String(error);
    expected = false;
  }
  const lines = [`Error: ${message}`];
  if (hint) lines.push(hint);
  if (options.verbose) {
    lines.push(...causeChain(error));
    if (!expected && error instanceof Error && error.stack) lines.push(error.stack);
  }
  return { lines: lines.map(redactSecrets), exitCode };
}
