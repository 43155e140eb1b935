import { type ContactSource, formatContactLine } from "@ctct-bulk/core";

/** Contacts as rows: the column names, then one array of fields a contact. */
export interface ContactRowsInput {
  /** The header: column names such as `EMAIL ADDRESS`, `FIRST NAME` (any case). */
  columns: readonly string[];
  /** The contacts, one array of fields each, in the order of `columns`. */
  rows: Iterable<readonly string[]> | AsyncIterable<readonly string[]>;
}

/**
 * Contacts in any form the client takes:
 *
 * - a contact file's text, or its UTF-8 bytes;
 * - a `Blob` or `File` (a `.csv`/`.txt` file, or an Excel `.xls`/`.xlsx` one, always sent as
 *   multipart);
 * - a `ReadableStream`, or an iterable or async iterable of text or bytes (a file being read,
 *   a generator of lines);
 * - {@linkcode ContactRowsInput}: column names and rows;
 * - an array of records keyed by column name (the first record's keys are the columns).
 */
export type ContactInput =
  | string
  | Uint8Array
  | Blob
  | ReadableStream<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>
  | ContactRowsInput
  | readonly Readonly<Record<string, string>>[];

const EXCEL_TYPES = new Set([
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]);

/**
 * Whether a file is an Excel workbook, by its name (`.xls`, `.xlsx`) or its media type. The API
 * takes Excel data only as a multipart upload.
 *
 * @param fileName The file's name, if known.
 * @param contentType The file's media type, if known.
 * @returns `true` for Excel.
 *
 * @example By name or by type
 * ```ts
 * import { isExcelFile } from "@ctct-bulk/transport";
 * isExcelFile("contacts.XLSX"); // true
 * isExcelFile(undefined, "application/vnd.ms-excel"); // true
 * isExcelFile("contacts.csv", "text/csv"); // false
 * ```
 */
export function isExcelFile(fileName?: string, contentType?: string): boolean {
  if (fileName && /\.xlsx?$/i.test(fileName)) return true;
  return (
    contentType !== undefined && EXCEL_TYPES.has(contentType.split(";")[0]!.trim().toLowerCase())
  );
}

/** A `Blob` (or `File`), without relying on the global's identity across realms. */
export function isBlob(value: unknown): value is Blob {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Blob).stream === "function" &&
    typeof (value as Blob).arrayBuffer === "function" &&
    typeof (value as Blob).size === "number"
  );
}

/** The name of a `File`, or `undefined`. */
export function blobName(blob: Blob): string | undefined {
  const name = (blob as Partial<File>).name;
  return typeof name === "string" && name !== "" ? name : undefined;
}

function isRowsInput(value: unknown): value is ContactRowsInput {
  return typeof value === "object" && value !== null && "columns" in value && "rows" in value;
}

function isRecords(value: unknown): value is readonly Readonly<Record<string, string>>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    typeof value[0] === "object" &&
    value[0] !== null &&
    !(value[0] instanceof Uint8Array)
  );
}

async function* rowsAsText(input: ContactRowsInput): AsyncGenerator<string, void, undefined> {
  yield `${formatContactLine(input.columns)}\n`;
  const width = input.columns.length;
  let index = 0;
  for await (const row of input.rows as AsyncIterable<readonly string[]>) {
    index++;
    if (row.length > width)
      throw new TypeError(
        `Invalid contact row ${index}: it has ${row.length} fields, the header names ${width} columns`,
      );
    yield `${formatContactLine(row)}\n`;
  }
}

function* recordsAsText(
  records: readonly Readonly<Record<string, string>>[],
): Generator<string, void, undefined> {
  if (records.length === 0) return;
  const columns = Object.keys(records[0]!);
  yield `${formatContactLine(columns)}\n`;
  for (const [index, record] of records.entries()) {
    for (const key of Object.keys(record)) {
      if (!columns.includes(key))
        throw new TypeError(
          `Invalid contact record ${index + 1}: unknown column "${key}": the first record's columns are ${columns.map((c) => `"${c}"`).join(", ")}`,
        );
    }
    yield `${formatContactLine(columns.map((column) => record[column] ?? ""))}\n`;
  }
}

/**
 * Turns any {@linkcode ContactInput} that is not Excel into a source core's contact-file reader
 * takes (text or bytes, whole or streamed).
 *
 * @param input The contacts.
 * @returns A `ContactSource`.
 */
export function toContactSource(input: ContactInput): ContactSource {
  if (typeof input === "string" || input instanceof Uint8Array) return input;
  if (isBlob(input)) return input.stream();
  if (isRowsInput(input)) return rowsAsText(input);
  if (isRecords(input)) return recordsAsText(input);
  return input as
    | ReadableStream<string | Uint8Array>
    | AsyncIterable<string | Uint8Array>
    | Iterable<string | Uint8Array>;
}

/**
 * Reads a (small) input whole, as text, for a single activity. Stops with a `RangeError` once it
 * passes `limit` characters, so that a huge stream is not held in memory.
 *
 * @param input The contacts.
 * @param limit The most characters to read.
 * @returns The contact file's text.
 */
export async function readContactText(input: ContactInput, limit: number): Promise<string> {
  const source = toContactSource(input);
  if (typeof source === "string") return source;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let text = "";
  const add = (piece: string | Uint8Array, stream: boolean) => {
    text += typeof piece === "string" ? piece : decoder.decode(piece, { stream });
    if (text.length > limit) throw new RangeError(`Contact data over ${limit} characters`);
  };
  if (source instanceof Uint8Array) {
    add(source, false);
    return text;
  }
  if (typeof (source as ReadableStream).getReader === "function") {
    // not every browser can iterate a ReadableStream with for await
    const reader = (source as ReadableStream<string | Uint8Array>).getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read())
        add(next.value, true);
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const piece of source as AsyncIterable<string | Uint8Array>) add(piece, true);
  }
  text += decoder.decode();
  return text;
}
