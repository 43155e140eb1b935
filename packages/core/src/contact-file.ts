import type { ContactColumn } from "./columns.ts";

/**
 * A contact file's content: text or UTF-8 bytes, whole or as a stream of chunks. Chunks may split
 * a line, a field or a multi-byte character anywhere.
 */
export type ContactSource =
  | string
  | Uint8Array
  | ReadableStream<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Iterable<string>;

/** The field separator of a contact file: comma (CSV, TXT) or tab (TXT). */
export type ContactDelimiter = "," | "\t";

/** A contact file's header row (always line 1). */
export interface ContactHeader {
  /** The names as written (trimmed, quotes removed); trailing empty names are dropped. */
  names: string[];
  /** The canonical column of each name, `undefined` where a name is no column. */
  columns: (ContactColumn | undefined)[];
  /** The field separator, detected from this line unless it was given. */
  delimiter: ContactDelimiter;
  /** The header's line number: the header is line 1. */
  line: 1;
}

/** One contact row of a contact file. */
export interface ContactRow {
  /** The source line where the row starts (the header is line 1; quoted line breaks count). */
  line: number;
  /** The fields, trimmed, quotes removed; never more than the header's names. */
  fields: string[];
}

/** An opened contact file: its header, and its rows to be read once, in order. */
export interface ContactTable {
  header: ContactHeader;
  /** The rows after the header; blank lines are skipped. Can be iterated once. */
  rows: AsyncIterable<ContactRow>;
}

/** Where a {@linkcode ContactFileError} was found. */
export interface ContactFileErrorOptions {
  fileName?: string | undefined;
  line: number;
  /** The header name of the field, when it has one. */
  field?: string | undefined;
  /** The 1-based position of the field in its row. */
  column?: number | undefined;
  cause?: unknown;
}

/**
 * A contact file that cannot be read: the message names the file (when known), the line and the
 * field, e.g. `Unterminated quoted field in "contacts.csv" at line 3, field "CITY": the file ends inside the quotes`.
 *
 * @example Catching a malformed file
 * ```ts
 * import { ContactFileError, openContactFile } from "@ctct-bulk/core";
 * try {
 *   const table = await openContactFile('EMAIL ADDRESS\n"a@example.com', { fileName: "c.csv" });
 *   for await (const _ of table.rows);
 * } catch (error) {
 *   if (ContactFileError.isInstance(error)) error.line; // 2
 * }
 * ```
 */
export class ContactFileError extends SyntaxError {
  override readonly name = "ContactFileError" as const;
  /** The file's name, when the reader was told it. */
  readonly fileName?: string;
  /** The line where the problem is (the row's first line for a row-wide problem). */
  readonly line: number;
  /** The header name of the field at fault, when it has one. */
  readonly field?: string;
  /** The 1-based position of the field at fault in its row. */
  readonly column?: number;

  /**
   * @param problem What is wrong, capitalized (`"Unterminated quoted field"`).
   * @param options Where: file, line, field; `detail` follows the location after a colon.
   * @param detail Why, or what was expected.
   */
  constructor(problem: string, options: ContactFileErrorOptions, detail?: string) {
    super(
      `${problem} ${describeLocation(options)}${detail === undefined ? "" : `: ${detail}`}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    if (options.fileName !== undefined) this.fileName = options.fileName;
    this.line = options.line;
    if (options.field !== undefined) this.field = options.field;
    if (options.column !== undefined) this.column = options.column;
  }

  /**
   * Whether a value is a {@linkcode ContactFileError}, even one from another copy of this package.
   *
   * @param value Anything caught.
   * @returns `true` for a contact file error.
   *
   * @example Telling errors apart
   * ```ts
   * import { ContactFileError } from "@ctct-bulk/core";
   * ContactFileError.isInstance(new ContactFileError("Empty contact file", { line: 1 })); // true
   * ContactFileError.isInstance(new SyntaxError("x")); // false
   * ```
   */
  static isInstance(value: unknown): value is ContactFileError {
    return (
      value instanceof ContactFileError ||
      (value instanceof Error &&
        value.name === "ContactFileError" &&
        typeof (value as { line?: unknown }).line === "number")
    );
  }
}

function describeLocation(options: ContactFileErrorOptions): string {
  let location = options.fileName === undefined ? "" : `in "${options.fileName}" `;
  location += `at line ${options.line}`;
  if (options.field !== undefined) location += `, field "${options.field}"`;
  else if (options.column !== undefined) location += `, field ${options.column}`;
  return location;
}

/**
 * Writes one row of a contact file: the fields joined by the delimiter, quoting exactly the fields
 * that need it (those holding the delimiter, a quote, CR or LF, or starting or ending with
 * whitespace, which the reader would trim; and a lone empty field, which would read as a blank
 * line), quotes inside doubled. {@linkcode openContactFile} reads the result back unchanged.
 *
 * @param fields The row's fields.
 * @param delimiter The field separator (default `,`).
 * @returns The line, without a line break at its end.
 *
 * @example A field with a comma
 * ```ts
 * import { formatContactLine } from "@ctct-bulk/core";
 * formatContactLine(["joe@example.com", "Boston, MA", 'Joe "JJ"']);
 * // 'joe@example.com,"Boston, MA","Joe ""JJ"""'
 * ```
 */
export function formatContactLine(
  fields: readonly string[],
  delimiter: ContactDelimiter = ",",
): string {
  if (fields.length === 1 && fields[0] === "") return '""';
  const needsQuotes = delimiter === "," ? /[",\r\n]|^\s|\s$/ : /["\t\r\n]|^\s|\s$/;
  let line = "";
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    if (index > 0) line += delimiter;
    line += needsQuotes.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return line;
}
