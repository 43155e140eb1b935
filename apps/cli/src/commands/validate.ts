import { resolve } from "node:path";
import { type Diagnostic, smallBatchWarning } from "@ctct-bulk/core";
import type { CommandDefinition } from "../command.ts";
import { joinReasons, openCheckedTable } from "../contact-checks.ts";
import { EXIT_CODES } from "../exit-codes.ts";
import { openInputFile } from "../input.ts";
import { checkOutputPaths, checkWritable, REJECTS_HINT } from "../output-paths.ts";
import { createRejectsWriter, type RejectsWriter } from "../rejects.ts";
import {
  FILE_POSITIONAL,
  fileArgument,
  INPUT_OPTIONS,
  inputOptions,
  REJECTS_OPTION,
} from "./_options.ts";

/** The JSON result of `ctct-bulk validate --json`. */
export interface ValidateResult {
  file: string;
  activityType: "SV_ADD" | "REMOVE_CONTACTS_FROM_LISTS";
  rows: number;
  accepted: number;
  rejected: number;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  /** Where reading stopped when the file could not be read to its end. */
  stoppedAtLine?: number;
  rejectsFile?: string;
}

function locate(file: string, diagnostic: Diagnostic): string {
  return `${file}${diagnostic.line === undefined ? "" : `:${diagnostic.line}`}`;
}

/** `ctct-bulk validate <file>`: the server's per-line errors, offline. */
export const validateCommand: CommandDefinition = {
  command: "validate <file>",
  describe:
    "Check a contact file offline: the errors the server would report, line by line (no account needed)",
  positionals: { file: FILE_POSITIONAL },
  options: {
    for: {
      type: "string",
      choices: ["add", "remove"],
      default: "add",
      describe: "What the file is for: add needs known columns, remove only EMAIL ADDRESS",
    },
    rejects: REJECTS_OPTION,
    ...INPUT_OPTIONS,
  },
  examples: [
    ["$0 validate contacts.csv", "Print each line the server would refuse, and why"],
    ["$0 validate contacts.csv.gz --rejects fix-me.csv", "Write the refused rows to fix-me.csv"],
    ["$0 validate contacts.xlsx --json", "The diagnostics as JSON, for a script"],
  ],
  async run(args, { context, output }) {
    const file = fileArgument(args.file);
    const activityType = args.for === "remove" ? "REMOVE_CONTACTS_FROM_LISTS" : "SV_ADD";
    const rejectsPath = typeof args.rejects === "string" ? args.rejects : undefined;
    checkOutputPaths(context.cwd, file, [{ option: "--rejects", path: rejectsPath }]);
    if (rejectsPath)
      await checkWritable(rejectsPath, resolve(context.cwd, rejectsPath), REJECTS_HINT);
    const input = await openInputFile(file, context, inputOptions(args));
    const diagnostics: Diagnostic[] = [];
    let rejects: RejectsWriter | undefined;
    const report = (diagnostic: Diagnostic): void => {
      diagnostics.push(diagnostic);
      output.event("diagnostic", { ...diagnostic });
      if (output.mode === "human") {
        const severity =
          diagnostic.severity === "warning"
            ? `${output.style("stdout", "yellow", "warning")}: `
            : "";
        output.print(`${locate(input.displayName, diagnostic)}: ${severity}${diagnostic.message}`);
      }
    };
    const checked = await openCheckedTable(input, {
      activityType,
      async onRejected(row, errors) {
        for (const diagnostic of errors)
          report(diagnostic.line === undefined ? { ...diagnostic, line: row.line } : diagnostic);
        await rejects?.write({ line: row.line, fields: row.fields, reason: joinReasons(errors) });
      },
      onWarning(row, warnings) {
        for (const diagnostic of warnings)
          report(diagnostic.line === undefined ? { ...diagnostic, line: row.line } : diagnostic);
      },
    });
    for (const diagnostic of checked.headerDiagnostics) report({ line: 1, ...diagnostic });
    if (checked.droppedRejectColumns)
      output.info(
        `Reading "${input.displayName}" as a rejects file: its REJECTED columns are left out`,
      );
    if (typeof args.rejects === "string")
      rejects = createRejectsWriter(args.rejects, checked.table.header, context.cwd);
    let accepted = 0;
    let stoppedAtLine: number | undefined;
    let notUtf8 = false;
    try {
      for await (const _row of checked.table.rows) accepted++;
    } catch (error) {
      if (!(error instanceof Error && error.name === "ContactFileError")) throw error;
      stoppedAtLine = (error as Error & { line: number }).line;
      notUtf8 = error.message.includes("Invalid UTF-8");
      report({ severity: "error", line: stoppedAtLine, message: error.message });
    } finally {
      await rejects?.close();
    }
    // A header and no rows is not a small batch: import sends nothing for it, and says so.
    const small =
      stoppedAtLine !== undefined
        ? undefined
        : checked.stats.rows === 0
          ? {
              severity: "warning" as const,
              message: "No contacts: the file has a header and no rows (import sends nothing)",
            }
          : smallBatchWarning(checked.stats.rows);
    if (small) report(small);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error").length;
    const warnings = diagnostics.length - errors;
    const result: ValidateResult = {
      file: input.displayName,
      activityType,
      rows: checked.stats.rows,
      accepted,
      rejected: checked.stats.rejected,
      errors,
      warnings,
      diagnostics,
      ...(stoppedAtLine === undefined ? {} : { stoppedAtLine }),
      ...(rejects ? { rejectsFile: rejects.path } : {}),
    };
    const plural = (count: number, word: string): string =>
      `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
    // With --json the diagnostics are in the document; with --ndjson they were streamed already.
    if (output.mode === "ndjson") result.diagnostics = [];
    output.result(result, () => "");
    const summary =
      `Checked ${plural(result.rows, "row")} of "${input.displayName}": ${plural(errors, "error")}, ${plural(warnings, "warning")}` +
      (stoppedAtLine === undefined ? "" : ` (reading stopped at line ${stoppedAtLine})`) +
      (rejects && rejects.count > 0 ? `; refused rows written to "${rejects.path}"` : "");
    output.info(errors === 0 ? output.style("stderr", "green", summary) : summary);
    // As import says it (the file was read as UTF-8, the default).
    if (notUtf8)
      output.info(
        "Save the file as UTF-8, or name its encoding with --encoding (windows-1252 for Excel's CSV on Windows)",
      );
    return errors > 0 ? EXIT_CODES.LINE_ERRORS : EXIT_CODES.SUCCESS;
  },
};
