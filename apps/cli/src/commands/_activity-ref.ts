import { usageError } from "../cli-error.ts";

// An export's file, by URI (the activity's FileName, which `status` shows as File:) or by name
// (`{id}.csv`, `{id}.txt`), names its activity. The SDK's get() refuses it with a hint in the
// SDK's words (downloadExport()); the CLI takes it where a file is what is wanted and words the
// refusal in its own commands elsewhere.
const EXPORT_FILE_SUFFIX = /\.(?:csv|txt)$/i;

/**
 * The activity an export's file names (its URI or name without `.csv`/`.txt`), or the text as it
 * is when it names no file.
 *
 * @param ref An activity's id or URI, or an export's file URI or name.
 * @returns The activity's id or URI.
 * @example An export's file
 * ```ts
 * import { exportActivityOf } from "./commands/_activity-ref.ts"; // internal to @ctct-bulk/cli
 * exportActivityOf("a07e1gpfcd3fhysynnp.csv"); // "a07e1gpfcd3fhysynnp"
 * ```
 */
export function exportActivityOf(ref: string): string {
  return ref.trim().replace(EXPORT_FILE_SUFFIX, "");
}

/**
 * Refuses an export's file where an activity is wanted (`status`, `wait`), saying which command
 * downloads it.
 *
 * @param ref What the user gave.
 * @param command The command, for the usage hint.
 * @throws {CliError} A usage error when `ref` names an export's file.
 * @example `ctct-bulk status a07e1gpfcd3fhysynnp.csv`
 * ```ts
 * import { refuseExportFile } from "./commands/_activity-ref.ts"; // internal to @ctct-bulk/cli
 * refuseExportFile("a07e1gpfcd3fhysynnp.csv", "status"); // throws: download it with ctct-bulk export --activity …
 * ```
 */
export function refuseExportFile(ref: string, command: string): void {
  const text = ref.trim();
  if (!EXPORT_FILE_SUFFIX.test(text)) return;
  throw usageError(
    `Invalid activity "${text}": it names an export's file: download it with ctct-bulk export --activity ${text} --out FILE, or name the activity without "${text.slice(-4)}"`,
    command,
  );
}
