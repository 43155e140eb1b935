import type { Options, PositionalOptions } from "yargs";

/** The `<file>` positional of the commands that read a contact file. */
export const FILE_POSITIONAL: PositionalOptions = {
  type: "string",
  describe:
    "The contact file: .csv, .txt (comma or tab), .xls, .xlsx, any of them .gz; - reads stdin",
  demandOption: true,
};

/** Options of every command that reads a contact file. */
export const INPUT_OPTIONS: Record<string, Options> = {
  sheet: { type: "string", describe: "The worksheet of an Excel file (default: the first)" },
  encoding: {
    type: "string",
    requiresArg: true,
    describe:
      "The text encoding of a CSV or text file (default: utf-8), e.g. windows-1252 for Excel's CSV on Windows",
  },
};

/** `--list`, repeatable: what an import, remove or clear works on. */
export const LIST_OPTION: Options = {
  alias: "l",
  type: "string",
  array: true,
  demandOption: true,
  describe: "A list, by id (2), URI or name; repeat for several",
  requiresArg: true,
};

/** `--wait`: wait for the created job to finish, with a status display. */
export const WAIT_OPTION: Options = {
  type: "boolean",
  default: false,
  describe:
    "Wait until the job is done, showing its status; exit code 3 if it fails, 4 if lines were refused",
};

/** `--dry-run`: show the requests without sending them. */
export const DRY_RUN_OPTION: Options = {
  type: "boolean",
  default: false,
  describe: "Show the chunks and requests that would be sent, and send nothing",
};

/** `--dry-run` of the commands that send one request and read no file (clear, export). */
export const DRY_RUN_ONE_REQUEST_OPTION: Options = {
  ...DRY_RUN_OPTION,
  describe: "Show the request that would be sent, and send nothing",
};

/** `--rejects <file>`: where refused rows go. */
export const REJECTS_OPTION: Options = {
  type: "string",
  requiresArg: true,
  describe:
    "Write the refused rows there: the original columns plus REJECTED LINE and REJECTED REASON (fix it and import it as it is)",
};

/** `--timeout <seconds>` for the commands that wait. */
export const TIMEOUT_OPTION: Options = {
  type: "number",
  requiresArg: true,
  describe: "Stop waiting after this many seconds (default: no limit)",
};

/**
 * The `<file>` argument as typed: yargs reads a lone `-` (stdin) as an empty string.
 *
 * @param value The parsed positional.
 * @returns The path, or `"-"` for stdin.
 * @example stdin
 * ```ts
 * fileArgument(""); // "-"
 * ```
 */
export function fileArgument(value: unknown): string {
  const text = String(value ?? "");
  return text === "" ? "-" : text;
}

/**
 * The input options of a command's arguments, for `openInputFile()`.
 *
 * @param args The parsed arguments.
 * @returns `sheet` and `encoding`, when given.
 * @example An Excel sheet
 * ```ts
 * inputOptions({ sheet: "Other" }); // { sheet: "Other" }
 * ```
 */
export function inputOptions(args: Record<string, unknown>): { sheet?: string; encoding?: string } {
  return {
    ...(typeof args.sheet === "string" ? { sheet: args.sheet } : {}),
    ...(typeof args.encoding === "string" ? { encoding: args.encoding } : {}),
  };
}
