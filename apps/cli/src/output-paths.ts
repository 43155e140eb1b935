import { statSync } from "node:fs";
import { resolve } from "node:path";
import { usageError } from "./cli-error.ts";

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
