import {
  type ContactRow,
  type ContactTable,
  type Diagnostic,
  openContactFile,
  type RequestedActivityType,
  rowTooLarge,
  validateContactRow,
  validateHeader,
} from "@ctct-bulk/core";
import { CliError } from "./cli-error.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import type { OpenedInput } from "./input.ts";
import { dropRejectColumns } from "./rejects.ts";

/** How the rows of a checked table went. */
export interface CheckStats {
  /** Rows read (not counting the header). */
  rows: number;
  /** Rows refused by validation. */
  rejected: number;
}

/** A contact table whose rows are checked as they are read. */
export interface CheckedTable {
  /** The rows that pass validation (the refused ones are handed to `onRejected`). */
  table: ContactTable;
  /** The header's own problems (an error there means no request can succeed). */
  headerDiagnostics: Diagnostic[];
  /** Counts, complete once the rows have been read. */
  stats: CheckStats;
  /** Whether the file was a rejects file whose two added columns were dropped. */
  droppedRejectColumns: boolean;
}

/** Options of {@linkcode openCheckedTable}. */
export interface CheckOptions {
  /** What the file is for: decides which columns the header needs. */
  activityType: RequestedActivityType;
  /** Receives every refused row with its diagnostics (errors only). */
  onRejected?: (row: ContactRow, diagnostics: Diagnostic[]) => void | Promise<void>;
  /** Receives every warning about a row that is still sent. */
  onWarning?: (row: ContactRow, diagnostics: Diagnostic[]) => void | Promise<void>;
}

/**
 * Opens an input as a contact table (with core's reader), drops a rejects file's added columns,
 * checks the header, and checks each row with core's validation as it is read: rows the server
 * would refuse are handed to `onRejected` and left out; the rest pass through in order.
 *
 * @param input The opened file.
 * @param options The activity the rows are for, the delimiter, and where refused rows go.
 * @returns The checked table.
 * @throws {CliError} when the file cannot be read as a contact file at all (empty, no header).
 * @example Counting the rows the server would take
 * ```ts
 * import { openInputFile, processContext } from "@ctct-bulk/cli";
 * import { openCheckedTable } from "./contact-checks.ts"; // internal to @ctct-bulk/cli
 * const input = await openInputFile("contacts.csv", processContext());
 * const checked = await openCheckedTable(input, { activityType: "SV_ADD" });
 * for await (const _row of checked.table.rows);
 * checked.stats; // { rows: …, rejected: … }
 * ```
 */
export async function openCheckedTable(
  input: OpenedInput,
  options: CheckOptions,
): Promise<CheckedTable> {
  let opened: ContactTable;
  try {
    opened = await openContactFile(input.stream, {
      fileName: input.displayName,
      extraFields: "keep",
    });
  } catch (cause) {
    if (cause instanceof Error && cause.name === "ContactFileError")
      throw new CliError(cause.message, {
        exitCode: EXIT_CODES.USAGE,
        hint: "A contact file starts with a header line naming its columns, EMAIL ADDRESS among them",
        cause,
      });
    throw cause;
  }
  const table = dropRejectColumns(opened);
  const headerDiagnostics = validateHeader(table.header, { activityType: options.activityType });
  const stats: CheckStats = { rows: 0, rejected: 0 };
  const source = table.rows;
  const header = table.header;
  // A row that cannot travel in any request stops an import (the chunker's RowTooLargeError):
  // core's rowTooLarge() measures it as the chunker will.
  const tooLarge = (row: ContactRow): Diagnostic | undefined => {
    const error = rowTooLarge(header, row);
    return error
      ? {
          severity: "error",
          line: row.line,
          message: `Row too large for one request: ${error.encodedBytes} bytes once form-encoded with the header, over the limit of ${error.maxEncodedBytes}`,
        }
      : undefined;
  };
  const rows: AsyncIterable<ContactRow> = {
    async *[Symbol.asyncIterator]() {
      for await (const row of source) {
        stats.rows++;
        const diagnostics = validateContactRow(header, row, { activityType: options.activityType });
        const size = tooLarge(row);
        if (size) diagnostics.push(size);
        if (diagnostics.length === 0) {
          yield row;
          continue;
        }
        const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
        if (errors.length > 0) {
          stats.rejected++;
          await options.onRejected?.(row, errors);
          continue;
        }
        await options.onWarning?.(row, diagnostics);
        yield row;
      }
    },
  };
  return {
    table: { header, rows },
    headerDiagnostics,
    stats,
    droppedRejectColumns: table !== opened,
  };
}

/**
 * Joins diagnostics into one reason, as a rejects file or a message shows it.
 *
 * @param diagnostics One row's diagnostics.
 * @returns Their messages joined by `; `.
 * @example Two problems on one row
 * ```ts
 * import { joinReasons } from "./contact-checks.ts"; // internal to @ctct-bulk/cli
 * joinReasons([{ severity: "error", message: "A" }, { severity: "error", message: "B" }]); // "A; B"
 * ```
 */
export function joinReasons(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((diagnostic) => diagnostic.message).join("; ");
}
