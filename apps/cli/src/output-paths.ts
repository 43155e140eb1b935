import { constants, statSync } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { CliError, usageError } from "./cli-error.ts";
import { EXIT_CODES } from "./exit-codes.ts";

/** Whether two paths name one file: the same path, or (through a link) the same inode. */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const left = statSync(a);
    const right = statSync(b);
    return left.dev === right.dev && left.ino === right.ino;
  } catch {
    return false;
  }
}

/**
 * Refuses an output file (`--rejects`, `--state`) that is the input file or another output: it
 * would be truncated while it is read, and the contact file lost. Checked before anything is read
 * or sent.
 *
 * @param cwd The directory relative paths start from.
 * @param input The input file as given (`-` for stdin, which no path can name).
 * @param outputs Each output's option and path as given (absent ones are skipped).
 * @throws {CliError} A usage error naming the option and the file.
 * @example
 * ```ts
 * checkOutputPaths(".", "contacts.csv", [{ option: "--rejects", path: "contacts.csv" }]); // throws
 * ```
 */
export function checkOutputPaths(
  cwd: string,
  input: string,
  outputs: readonly { option: string; path: string | undefined }[],
): void {
  const seen: { option: string; path: string }[] =
    input === "-" ? [] : [{ option: "the input file", path: resolve(cwd, input) }];
  for (const { option, path } of outputs) {
    if (path === undefined) continue;
    const absolute = resolve(cwd, path);
    const clash = seen.find((earlier) => sameFile(earlier.path, absolute));
    if (clash)
      throw usageError(
        `Invalid ${option} "${path}": it is ${clash.option === "the input file" ? "the input file" : `the file of ${clash.option}`}, which it would overwrite: name another file`,
      );
    seen.push({ option, path: absolute });
  }
}

/** The hint of a `--rejects` file that cannot be written. */
export const REJECTS_HINT = "Choose a file in an existing, writable directory with --rejects";

/**
 * Why a file cannot be written, in words (`no such directory`), not a code (`ENOENT`).
 *
 * @param cause The error of the write.
 * @returns The reason.
 * @example
 * ```ts
 * writeReason(Object.assign(new Error("…"), { code: "EACCES" })); // "permission denied"
 * ```
 */
export function writeReason(cause: unknown): string {
  const code = (cause as { code?: string }).code;
  return code === "ENOENT"
    ? "no such directory"
    : code === "EACCES" || code === "EPERM" || code === "EROFS"
      ? "permission denied"
      : code === "EISDIR"
        ? "it is a directory"
        : code === "ENOTDIR"
          ? "a part of the path is not a directory"
          : String((cause as Error).message ?? cause);
}

/**
 * Checks that a file can be written before the work that produces it starts (an export of a big
 * list, an import waited for to the end, takes minutes: a missing directory found at the end
 * would lose its output).
 *
 * @param shown The path as given, for the message.
 * @param target The absolute path.
 * @param hint What to do, for the error.
 * @throws {CliError} A usage error: `Cannot write "out/x.csv": no such directory`.
 * @example
 * ```ts
 * await checkWritable("refused.csv", "/data/refused.csv", "Choose another file with --rejects");
 * ```
 */
export async function checkWritable(shown: string, target: string, hint: string): Promise<void> {
  try {
    const existing = await stat(target).catch((cause: { code?: string }) => {
      if (cause.code === "ENOENT") return undefined;
      throw cause;
    });
    if (existing?.isDirectory())
      throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    const directory = dirname(target);
    if (!(await stat(directory)).isDirectory())
      throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    await access(directory, constants.W_OK);
  } catch (cause) {
    throw new CliError(`Cannot write "${shown}": ${writeReason(cause)}`, {
      exitCode: EXIT_CODES.USAGE,
      hint,
      cause,
    });
  }
}
