import { createWriteStream, type WriteStream } from "node:fs";
import { resolve } from "node:path";
import { type ContactDelimiter, type ContactTable, formatContactLine } from "@ctct-bulk/core";
import { CliError } from "./cli-error.ts";

/**
 * The two columns a rejects file adds after the original ones.
 *
 * @example A rejects file's header
 * ```ts
 * import { REJECT_COLUMNS } from "@ctct-bulk/cli";
 * ["EMAIL ADDRESS", ...REJECT_COLUMNS].join(","); // "EMAIL ADDRESS,REJECTED LINE,REJECTED REASON"
 * ```
 */
export const REJECT_COLUMNS: readonly ["REJECTED LINE", "REJECTED REASON"] = [
  "REJECTED LINE",
  "REJECTED REASON",
];

/** One refused row: where it was, what it held, and why. */
export interface RejectedRow {
  /** The row's line in the source file (the header is line 1); unknown when the server gave none. */
  line: number | undefined;
  /** The row's fields as read (may be empty when only the server's report is known). */
  fields: readonly string[];
  /** Why it was refused, as validation or the server said. */
  reason: string;
}

/** Writes refused rows to a rejects file. */
export interface RejectsWriter {
  /** The file's path. */
  readonly path: string;
  /** How many rows have been written. */
  readonly count: number;
  /** Appends one row; resolves when the file can take more. */
  write(row: RejectedRow): Promise<void>;
  /** Finishes the file. */
  close(): Promise<void>;
}

/**
 * Creates a rejects file: a CSV (or tab-separated file, like its source) with the source's header
 * plus `REJECTED LINE` and `REJECTED REASON`, one refused row a line. `ctct-bulk import` and
 * `validate` drop those two columns when they read such a file, so it can be fixed and imported
 * as it is.
 *
 * @param path Where to write, relative to `cwd`.
 * @param header The source file's column names and delimiter.
 * @param cwd The directory `path` is relative to.
 * @returns The writer; the header line is written at once.
 * @example Writing one refused row
 * ```ts
 * import { createRejectsWriter } from "@ctct-bulk/cli";
 * const rejects = createRejectsWriter("rejects.csv", { names: ["EMAIL ADDRESS"], delimiter: "," }, ".");
 * await rejects.write({ line: 3, fields: ["ann@"], reason: 'Invalid email address "ann@"' });
 * await rejects.close();
 * ```
 */
export function createRejectsWriter(
  path: string,
  header: { names: readonly string[]; delimiter: ContactDelimiter },
  cwd: string,
): RejectsWriter {
  const absolute = resolve(cwd, path);
  const stream: WriteStream = createWriteStream(absolute, { flags: "w" });
  let failure: Error | undefined;
  stream.on("error", (cause) => {
    failure = new CliError(`Cannot write the rejects file "${path}": ${cause.message}`, { cause });
  });
  const width = header.names.length;
  const put = async (text: string): Promise<void> => {
    if (failure) throw failure;
    if (!stream.write(text)) {
      await new Promise<void>((done, fail) => {
        const onError = (cause: Error): void => fail(failure ?? cause);
        stream.once("drain", () => {
          stream.off("error", onError);
          done();
        });
        stream.once("error", onError);
      });
    }
  };
  void put(`${formatContactLine([...header.names, ...REJECT_COLUMNS], header.delimiter)}\n`);
  let count = 0;
  return {
    path,
    get count() {
      return count;
    },
    async write(row) {
      // Exactly the header's width, so that the two added columns stay in place.
      const fields = Array.from({ length: width }, (_, index) => row.fields[index] ?? "");
      count++;
      await put(
        `${formatContactLine([...fields, row.line === undefined ? "" : String(row.line), row.reason], header.delimiter)}\n`,
      );
    },
    close() {
      return new Promise<void>((done, fail) => {
        if (failure) return fail(failure);
        // end()'s callback gets the stream's error before its "error" event has set `failure`.
        stream.end((error?: Error | null) => {
          const problem =
            failure ??
            (error
              ? new CliError(`Cannot write the rejects file "${path}": ${error.message}`, {
                  cause: error,
                })
              : undefined);
          if (problem) fail(problem);
          else done();
        });
      });
    },
  };
}

/**
 * Whether a header is a rejects file's: its last two names are {@linkcode REJECT_COLUMNS}.
 *
 * @param names The header's names.
 * @returns `true` when the file was written by `--rejects`.
 * @example Recognising a rejects file
 * ```ts
 * import { isRejectsHeader } from "@ctct-bulk/cli";
 * isRejectsHeader(["EMAIL ADDRESS", "REJECTED LINE", "REJECTED REASON"]); // true
 * ```
 */
export function isRejectsHeader(names: readonly string[]): boolean {
  return (
    names.length > 2 &&
    names[names.length - 2]?.toUpperCase() === REJECT_COLUMNS[0] &&
    names[names.length - 1]?.toUpperCase() === REJECT_COLUMNS[1]
  );
}

/**
 * The table without a rejects file's two added columns (unchanged when it has none), so that a
 * fixed rejects file imports as it is; line numbers stay those of the rejects file.
 *
 * @param table An opened contact file.
 * @returns The same rows without `REJECTED LINE` and `REJECTED REASON`.
 * @example Importing a fixed rejects file
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * import { dropRejectColumns } from "@ctct-bulk/cli";
 * const table = dropRejectColumns(await openContactFile("EMAIL ADDRESS,REJECTED LINE,REJECTED REASON\nann@example.com,3,Bad"));
 * table.header.names; // ["EMAIL ADDRESS"]
 * ```
 */
export function dropRejectColumns(table: ContactTable): ContactTable {
  if (!isRejectsHeader(table.header.names)) return table;
  const width = table.header.names.length - 2;
  const source = table.rows;
  return {
    header: {
      ...table.header,
      names: table.header.names.slice(0, width),
      columns: table.header.columns.slice(0, width),
    },
    rows: {
      async *[Symbol.asyncIterator]() {
        for await (const row of source)
          yield row.fields.length > width
            ? { line: row.line, fields: row.fields.slice(0, width) }
            : row;
      },
    },
  };
}
