import { isEmptyRow } from "./_rows.ts";
import { type ContactColumn, findContactColumn } from "./columns.ts";

/**
 * A contact file's content: text or UTF-8 bytes, whole or as a stream of chunks. Chunks may split
 * a line, a field or a multi-byte character anywhere.
 *
 * @example Sources of every kind
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * await openContactFile("EMAIL ADDRESS\na@example.com\n");
 * await openContactFile(new TextEncoder().encode("EMAIL ADDRESS\n"));
 * await openContactFile(["EMAIL ADDRESS\n", "a@example.com\n"]);
 * ```
 */
export type ContactSource =
  | string
  | Uint8Array
  | ReadableStream<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>;

/**
 * The field separator of a contact file: comma (CSV, TXT) or tab (TXT).
 *
 * @example Writing a tab-separated line
 * ```ts
 * import { formatContactLine } from "@ctct-bulk/core";
 * formatContactLine(["a@example.com", "Boston, MA"], "\t"); // "a@example.com\tBoston, MA"
 * ```
 */
export type ContactDelimiter = "," | "\t";

/**
 * A contact file's header row (always line 1).
 *
 * @example A detected tab delimiter
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * const { header } = await openContactFile("Email Address\tCity\n");
 * header.delimiter; // "\t"
 * header.columns; // ["EMAIL ADDRESS", "CITY"]
 * ```
 */
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

/**
 * One contact row of a contact file.
 *
 * @example Line numbers after a quoted line break
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * const table = await openContactFile('EMAIL ADDRESS,CITY\na@x.com,"two\nlines"\nb@x.com,X\n');
 * for await (const row of table.rows) row.line; // 2, then 4
 * ```
 */
export interface ContactRow {
  /** The source line where the row starts (the header is line 1; quoted line breaks count). */
  line: number;
  /** The fields, trimmed, quotes removed; no more than the header has names (unless `extraFields: "keep"`). */
  fields: string[];
}

/**
 * An opened contact file: its header, and its rows to be read once, in order.
 *
 * @example Counting rows
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * const table = await openContactFile("EMAIL ADDRESS\na@x.com\nb@x.com\n");
 * let count = 0;
 * for await (const _ of table.rows) count++;
 * count; // 2
 * ```
 */
export interface ContactTable {
  header: ContactHeader;
  /** The rows after the header; blank lines and rows of empty cells are skipped. Can be iterated once. */
  rows: AsyncIterable<ContactRow>;
  /**
   * The same rows as `rows`, in order, handed over in arrays (one per piece of text read, or per
   * 128 rows of it; none empty), so that a consumer awaits once per array instead of once per
   * row. A consumer reads either `rows` or `batches`, once; reading both, or one twice, throws.
   * Optional: a table made by hand may offer only `rows`. The arrays are the consumer's (the
   * reader keeps none).
   *
   * @example Counting rows a batch at a time
   * ```ts
   * import { openContactFile } from "@ctct-bulk/core";
   * const table = await openContactFile("EMAIL ADDRESS\na@x.com\nb@x.com\n");
   * let count = 0;
   * for await (const batch of table.batches ?? []) count += batch.length;
   * count; // 2
   * ```
   */
  batches?: AsyncIterable<readonly ContactRow[]>;
}

/**
 * Where a {@linkcode ContactFileError} was found.
 *
 * @example An error at a field
 * ```ts
 * import { ContactFileError } from "@ctct-bulk/core";
 * new ContactFileError("Too many fields", { line: 4, column: 3 }).message;
 * // "Too many fields at line 4, field 3"
 * ```
 */
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
 * whitespace, which the reader would trim; and the first of a row of empty fields, which would
 * read as a blank line or a row of empty cells, both skipped), quotes inside doubled.
 * {@linkcode openContactFile} reads the result back unchanged.
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
  if (fields.length > 0 && fields[0] === "" && isEmptyRow(fields))
    return `""${delimiter.repeat(fields.length - 1)}`;
  const needsQuotes = delimiter === "," ? /[",\r\n]|^\s|\s$/ : /["\t\r\n]|^\s|\s$/;
  let line = "";
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    if (index > 0) line += delimiter;
    line += needsQuotes.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return line;
}

/**
 * Options of {@linkcode openContactFile}.
 *
 * @example A named file with a known delimiter
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * await openContactFile("EMAIL ADDRESS\n", { fileName: "contacts.txt", delimiter: "\t" });
 * ```
 */
export interface OpenContactFileOptions {
  /** The file's name, for error messages. */
  fileName?: string;
  /** The field separator; detected from the header line when not given. */
  delimiter?: ContactDelimiter;
  /**
   * What to do with a row that has more non-empty fields than the header: `"error"` (default)
   * throws a {@linkcode ContactFileError}; `"keep"` yields the row with all its fields (for a
   * server that reports the row as a per-line error instead). Empty trailing fields beyond the
   * header are always dropped.
   */
  extraFields?: "error" | "keep";
  /**
   * The most characters one row may span before the reader gives up (default 4 Mi): keeps memory
   * bounded when a quote is never closed.
   */
  maxRowLength?: number;
}

const DEFAULT_MAX_ROW_LENGTH = 4 * 1024 * 1024;
// Large chunks are cut so that one scan never holds more than this many characters' rows.
const SLICE_LENGTH = 1 << 20;
/**
 * The most rows one scan adds before handing them over; the rest of the text waits, unscanned.
 * Fewer rows alive at once (a batch is alive until the chunker has taken all of it) means fewer
 * bytes found alive by each young collection, which is what grows V8's young generation (ADR 0125).
 */
const BATCH_ROWS = 128;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const COMMA = 44;

/**
 * Opens a contact file (CSV or TXT): detects the delimiter from the header line (comma or tab),
 * reads the header, and returns the rows as an async iterable that reads the source as it goes,
 * in constant memory whatever the file's size. Fields are trimmed; quoted fields may hold
 * delimiters, doubled quotes and line breaks; CRLF, LF and CR all end lines; a UTF-8 BOM is
 * skipped; blank lines and rows of empty cells (`,,,`, unquoted) are skipped. Every row keeps the
 * source line where it starts (the header is line 1). Bytes must be UTF-8.
 *
 * @param source The file's text or bytes, whole or streamed.
 * @param options The file's name (for errors), the delimiter if known, and limits.
 * @returns The header and the rows.
 * @throws {ContactFileError} From this promise when the file is empty or has no header; from
 *   the rows' iteration when a row is malformed (unterminated quote, too many fields, bad UTF-8).
 *
 * @example Reading the seed's contacts
 * ```ts
 * import { openContactFile } from "@ctct-bulk/core";
 * const table = await openContactFile(
 *   "EMAIL ADDRESS,FIRST NAME,LAST NAME\nwstest3@example.com, Fred, Test\n",
 * );
 * table.header.columns; // ["EMAIL ADDRESS", "FIRST NAME", "LAST NAME"]
 * for await (const row of table.rows) {
 *   row; // { line: 2, fields: ["wstest3@example.com", "Fred", "Test"] }
 * }
 * ```
 */
export async function openContactFile(
  source: ContactSource,
  options: OpenContactFileOptions = {},
): Promise<ContactTable> {
  const reader = new ContactReader(source, options);
  const header = await reader.readHeader();
  let opened = false;
  const open = (): void => {
    if (opened)
      throw new TypeError(
        "Contact rows can be read only once (as rows or as batches): open the contact file again to read them again",
      );
    opened = true;
  };
  const rows: AsyncIterable<ContactRow> = {
    [Symbol.asyncIterator](): AsyncIterator<ContactRow> {
      open();
      return reader.rowIterator();
    },
  };
  const batches: AsyncIterable<readonly ContactRow[]> = {
    [Symbol.asyncIterator](): AsyncIterator<readonly ContactRow[]> {
      open();
      return reader.batchIterator();
    },
  };
  return { header, rows, batches };
}

/** One piece of text from the source, or the end. */
type TextPiece = { text: string; final: false } | { text: ""; final: true };

/** Turns any {@linkcode ContactSource} into pieces of text, decoding UTF-8 as a stream. */
class TextPieces {
  readonly #iterator: AsyncIterator<string | Uint8Array> | Iterator<string | Uint8Array>;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  #decoding = false;
  #queue: string[] = [];
  #done = false;
  #failure: unknown;
  readonly #onBadBytes: (error: unknown) => never;

  constructor(source: ContactSource, onBadBytes: (error: unknown) => never) {
    this.#onBadBytes = onBadBytes;
    if (typeof source === "string" || source instanceof Uint8Array)
      this.#iterator = [source][Symbol.iterator]();
    else if (typeof ReadableStream !== "undefined" && source instanceof ReadableStream)
      this.#iterator = readableStreamIterator(source);
    else if (Symbol.asyncIterator in source)
      this.#iterator = (source as AsyncIterable<string | Uint8Array>)[Symbol.asyncIterator]();
    else if (Symbol.iterator in source)
      this.#iterator = (source as Iterable<string | Uint8Array>)[Symbol.iterator]();
    else
      throw new TypeError(
        "Invalid contact source: expected a string, bytes, a ReadableStream or an iterable",
      );
  }

  async next(): Promise<TextPiece> {
    for (;;) {
      const queued = this.#queue.shift();
      if (queued !== undefined) return { text: queued, final: false };
      if (this.#failure !== undefined) this.#onBadBytes(this.#failure);
      if (this.#done) return { text: "", final: true };
      const result = await this.#iterator.next();
      if (result.done) {
        this.#done = true;
        if (this.#decoding) this.#push(this.#decode(new Uint8Array(0), false));
        continue;
      }
      const chunk: unknown = result.value;
      if (typeof chunk === "string") {
        if (this.#decoding) this.#push(this.#decode(new Uint8Array(0), false));
        this.#decoding = false;
        this.#push(chunk);
      } else if (chunk instanceof Uint8Array) {
        this.#decoding = true;
        // Decoding a slice at a time keeps the text (and the rows scanned from it) bounded.
        for (let offset = 0; offset < chunk.length; offset += SLICE_LENGTH)
          this.#push(this.#decode(chunk.subarray(offset, offset + SLICE_LENGTH), true));
      } else {
        throw new TypeError(
          `Invalid contact source chunk: expected a string or a Uint8Array, got ${describeType(chunk)}`,
        );
      }
    }
  }

  #decode(bytes: Uint8Array, stream: boolean): string {
    if (this.#failure !== undefined) return "";
    try {
      return this.#decoder.decode(bytes, { stream });
    } catch (error) {
      // Keep the text before the bad bytes, so that its rows are read before the error.
      const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
      const bad = text.indexOf("\uFFFD");
      this.#failure = error;
      this.#done = true;
      return text.slice(0, Math.max(bad, 0));
    }
  }

  #push(text: string): void {
    for (let offset = 0; offset < text.length; offset += SLICE_LENGTH)
      this.#queue.push(
        text.length <= SLICE_LENGTH ? text : text.slice(offset, offset + SLICE_LENGTH),
      );
  }

  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.#iterator.return?.();
  }
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

function readableStreamIterator<T>(stream: ReadableStream<T>): AsyncIterator<T> {
  const reader = stream.getReader();
  return {
    async next(): Promise<IteratorResult<T>> {
      const result = await reader.read();
      if (result.done) reader.releaseLock();
      return result.done ? { done: true, value: undefined } : { done: false, value: result.value };
    },
    async return(): Promise<IteratorResult<T>> {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}

/** The end of an iteration, shared by the reader's iterators. */
const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The reader's state machine. Hand-written rather than papaparse: papaparse reports no line
 * numbers, guesses one newline style per file, and recovers from an unterminated quote instead of
 * failing; exact line numbers and strict errors are the point here.
 */
class ContactReader {
  readonly #pieces: TextPieces;
  readonly #fileName: string | undefined;
  readonly #extraFields: "error" | "keep";
  readonly #maxRowLength: number;
  #delimiter: ContactDelimiter | undefined;
  #delimiterCode = COMMA;
  #names: string[] = [];
  /** Text not yet scanned: the start of an incomplete row. */
  #pending = "";
  /** The line number of the first character of `#pending`. */
  #line = 1;
  #atStart = true;
  #final = false;
  #rows: ContactRow[] = [];
  #rowIndex = 0;
  #error: unknown;
  #headerRead = false;
  /** How long the incomplete text was after the last scan. */
  #stalled = 0;
  /** Whether `#pending` holds complete rows left by a scan that stopped at `BATCH_ROWS`. */
  #more = false;
  /**
   * The fields of the row being scanned, copied into an array of their own size once it is
   * complete; emptied at each scan's start, so it pins no text the reader has let go.
   */
  readonly #fields: string[] = [];

  constructor(source: ContactSource, options: OpenContactFileOptions) {
    this.#fileName = options.fileName;
    this.#extraFields = options.extraFields ?? "error";
    this.#maxRowLength = options.maxRowLength ?? DEFAULT_MAX_ROW_LENGTH;
    this.#delimiter = options.delimiter;
    if (this.#delimiter !== undefined && this.#delimiter !== "," && this.#delimiter !== "\t")
      throw new TypeError(`Invalid delimiter "${String(this.#delimiter)}": expected "," or a tab`);
    this.#pieces = new TextPieces(source, (cause) => this.#badBytes(cause));
  }

  /** Called once the text before the bad bytes has been scanned: they are on the line reached. */
  #badBytes(cause: unknown): never {
    const line = this.#line + countLineBreaks(this.#pending, 0, this.#pending.length);
    throw new ContactFileError(
      "Invalid UTF-8",
      { fileName: this.#fileName, line, cause },
      "the bytes are not UTF-8 text (save the file as UTF-8)",
    );
  }

  async readHeader(): Promise<ContactHeader> {
    try {
      while (this.#rows.length === 0 && !this.#final) await this.#fill();
    } catch (error) {
      await this.#pieces.close().catch(() => {});
      throw error;
    }
    const first = this.#rows[0];
    if (first === undefined) {
      await this.#pieces.close().catch(() => {});
      throw (
        this.#error ??
        new ContactFileError(
          "Empty contact file",
          { fileName: this.#fileName, line: 1 },
          "expected a header line naming the columns",
        )
      );
    }
    this.#rowIndex = 1;
    const names = first.fields;
    return {
      names: [...names],
      columns: names.map((name) => findContactColumn(name)),
      delimiter: this.#delimiter!,
      line: 1,
    };
  }

  /** Reads one more piece and scans it, adding complete rows to `#rows`. */
  async #fill(): Promise<void> {
    if (this.#rowIndex >= this.#rows.length) {
      this.#rows = [];
      this.#rowIndex = 0;
    }
    let text: string;
    if (this.#more) {
      // The rest of the last piece, scanned without reading more (`BATCH_ROWS`).
      this.#more = false;
      text = this.#pending;
    } else {
      const piece = await this.#pieces.next();
      text = this.#pending + piece.text;
      this.#final = piece.final;
    }
    // Rescan an incomplete row only once the text has doubled: tiny chunks stay linear.
    if (!this.#final && text.length < 2 * this.#stalled) {
      this.#pending = text;
      this.#checkRowLength();
      return;
    }
    if (this.#atStart) {
      if (text.length === 0 && !this.#final) return;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.#atStart = text.length === 0 && !this.#final;
      if (this.#atStart) return;
    }
    if (this.#delimiter === undefined) {
      const detected = detectDelimiter(text, this.#final);
      if (detected === undefined) {
        this.#pending = text;
        this.#stalled = text.length;
        this.#checkRowLength();
        return;
      }
      this.#delimiter = detected;
    }
    this.#delimiterCode = this.#delimiter.charCodeAt(0);
    let consumed: number;
    try {
      consumed = this.#scan(text);
    } catch (error) {
      this.#error = error;
      this.#final = true;
      this.#pending = "";
      return;
    }
    this.#pending = consumed === text.length ? "" : text.slice(consumed);
    if (this.#more) {
      this.#stalled = 0;
      return;
    }
    this.#stalled = this.#pending.length;
    this.#checkRowLength();
  }

  #checkRowLength(): void {
    if (this.#pending.length > this.#maxRowLength) {
      this.#error = new ContactFileError(
        "Row too long",
        { fileName: this.#fileName, line: this.#line },
        `more than ${this.#maxRowLength} characters without an end (is a quote never closed?)`,
      );
      this.#pending = "";
      this.#final = true;
    }
  }

  /**
   * Scans complete rows of `text` into `#rows` and returns how much of it was consumed. A row
   * that may continue in the next piece is left unconsumed. Line breaks are not consumed with
   * their row: the loop's head counts every one, whether it ends a row or a blank line.
   */
  #scan(text: string): number {
    const final = this.#final;
    const delimiter = this.#delimiterCode;
    const length = text.length;
    const out = this.#rows;
    const expected = this.#headerRead ? this.#names.length : Number.POSITIVE_INFINITY;
    let line = this.#line;
    let position = 0;
    let nextDelimiter = -1;
    let nextLf = -1;
    let nextCr = -1;
    const scratch = this.#fields;
    scratch.length = 0;
    scan: while (position < length) {
      const first = text.charCodeAt(position);
      if (first === LF) {
        position++;
        line++;
        continue;
      }
      if (first === CR) {
        if (position + 1 < length) position += text.charCodeAt(position + 1) === LF ? 2 : 1;
        else if (final) position++;
        else break;
        line++;
        continue;
      }
      // Enough rows for one batch: the rest is scanned when they are handed over (`BATCH_ROWS`).
      if (out.length >= BATCH_ROWS) {
        this.#more = true;
        break;
      }
      let count = 0;
      let quotedLines = 0;
      let quoted = false;
      let cursor = position;
      for (;;) {
        // One field starts at `cursor`.
        let start = cursor;
        let code = text.charCodeAt(start);
        while (code === SPACE || (code === TAB && delimiter !== TAB))
          code = text.charCodeAt(++start);
        if (code === QUOTE) {
          quoted = true;
          let value = "";
          let from = start + 1;
          let close: number;
          for (;;) {
            close = text.indexOf('"', from);
            if (close < 0 || (close + 1 >= length && !final)) {
              if (final) throw this.#unterminated(line + quotedLines, count, text, start);
              break scan;
            }
            if (text.charCodeAt(close + 1) !== QUOTE) break;
            value += text.slice(from, close + 1);
            from = close + 2;
          }
          value += text.slice(from, close);
          quotedLines += countLineBreaks(text, start + 1, close);
          let after = close + 1;
          code = text.charCodeAt(after);
          while (code === SPACE || (code === TAB && delimiter !== TAB))
            code = text.charCodeAt(++after);
          scratch[count++] = value;
          if (after >= length) {
            if (!final) break scan;
            cursor = length;
            break;
          }
          if (code === delimiter) {
            cursor = after + 1;
            continue;
          }
          if (code === LF || code === CR) {
            cursor = after;
            break;
          }
          throw new ContactFileError(
            "Unexpected text after a closing quote",
            this.#where(line + quotedLines, count - 1),
            `expected "${this.#delimiter === "\t" ? "\\t" : ","}" or the end of the line after the closing quote`,
          );
        }
        if (nextDelimiter < cursor) {
          nextDelimiter = text.indexOf(this.#delimiter!, cursor);
          if (nextDelimiter < 0) nextDelimiter = length;
        }
        if (nextLf < cursor) {
          nextLf = text.indexOf("\n", cursor);
          if (nextLf < 0) nextLf = length;
        }
        if (nextCr < cursor) {
          nextCr = text.indexOf("\r", cursor);
          if (nextCr < 0) nextCr = length;
        }
        const end = Math.min(nextLf, nextCr);
        if (nextDelimiter < end) {
          scratch[count++] = text.slice(start, nextDelimiter).trim();
          cursor = nextDelimiter + 1;
          continue;
        }
        if (end === length && !final) break scan;
        scratch[count++] = text.slice(start, end).trim();
        cursor = end;
        break;
      }
      // A complete row from `position` to `cursor` (a line break or the end).
      position = cursor;
      // The row's own array, of its exact size (a literal grown by push takes room for 17).
      const fields = scratch.slice(0, count);
      const rowLine = line;
      line += quotedLines;
      // A blank line, or after the header a row of empty cells (`,,,`: spreadsheets write them
      // at the end), holds no contact: skipped, its line counted (ADR 0121). A quote keeps it.
      if (
        !quoted &&
        fields[0] === "" &&
        (fields.length === 1 || (this.#headerRead && isEmptyRow(fields)))
      )
        continue;
      if (fields.length > expected) {
        while (fields.length > expected && fields[fields.length - 1] === "") fields.pop();
        if (fields.length > expected && this.#extraFields === "error") {
          this.#line = line;
          throw new ContactFileError(
            "Too many fields",
            { fileName: this.#fileName, line: rowLine, column: expected + 1 },
            `expected ${expected} (as in the header), got ${fields.length}`,
          );
        }
      }
      if (!this.#headerRead) {
        // The header fixes the field count of the rows that follow it in this same piece.
        const names = fields.slice();
        while (names.length > 0 && names[names.length - 1] === "") names.pop();
        if (rowLine !== 1 || names.length === 0)
          throw new ContactFileError(
            "Missing header",
            { fileName: this.#fileName, line: 1 },
            rowLine !== 1
              ? "line 1 is blank; the header must be the first line"
              : "line 1 names no columns",
          );
        out.push({ line: rowLine, fields: names });
        this.#line = line;
        this.#names = names;
        this.#headerRead = true;
        const rest = this.#scan(text.slice(position));
        return position + rest;
      }
      out.push({ line: rowLine, fields });
    }
    this.#line = line;
    return position;
  }

  #where(line: number, fieldIndex: number): ContactFileErrorOptions {
    const name = this.#headerRead ? this.#names[fieldIndex] : undefined;
    return { fileName: this.#fileName, line, field: name, column: fieldIndex + 1 };
  }

  #unterminated(line: number, fieldIndex: number, text: string, start: number): ContactFileError {
    return new ContactFileError(
      "Unterminated quoted field",
      this.#where(line, fieldIndex),
      `the file ends inside the quotes opened here ("${text.slice(start, start + 20).replace(/[\r\n]+/g, " ")}…")`,
    );
  }

  /**
   * Called once the rows scanned so far are all handed over: throws the error a read ended on
   * (after closing the input), says `false` at the end of the input, or scans the next piece.
   */
  async #refill(): Promise<boolean> {
    if (this.#error !== undefined) {
      const error = this.#error;
      this.#error = undefined;
      this.#rows = [];
      await this.#pieces.close().catch(() => {});
      throw error;
    }
    if (this.#final && !this.#more) return false;
    try {
      await this.#fill();
    } catch (error) {
      this.#final = true;
      this.#error = error;
    }
    return true;
  }

  /** Stops reading early (a consumer's `break`): drops what is buffered and closes the input. */
  async #stop(): Promise<IteratorReturnResult<undefined>> {
    this.#final = true;
    this.#more = false;
    this.#rows = [];
    this.#pending = "";
    await this.#pieces.close();
    return DONE;
  }

  rowIterator(): AsyncIterator<ContactRow> {
    const next = async (): Promise<IteratorResult<ContactRow>> => {
      for (;;) {
        const row = this.#rows[this.#rowIndex];
        if (row !== undefined) {
          this.#rowIndex++;
          return { done: false, value: row };
        }
        if (!(await this.#refill())) return DONE;
      }
    };
    return {
      next: () => {
        const row = this.#rows[this.#rowIndex];
        if (row !== undefined) {
          this.#rowIndex++;
          return Promise.resolve({ done: false, value: row });
        }
        return next();
      },
      return: () => this.#stop(),
    };
  }

  /**
   * The rows as arrays: each array is the rows scanned from one piece of text, handed over as it
   * is (`#fill` starts a new array once the last one is taken), so no row is copied; only the
   * first array, which shares its piece with the header, is sliced once.
   */
  batchIterator(): AsyncIterator<readonly ContactRow[]> {
    return {
      next: async (): Promise<IteratorResult<readonly ContactRow[]>> => {
        for (;;) {
          const rows = this.#rows;
          if (this.#rowIndex < rows.length) {
            const batch = this.#rowIndex === 0 ? rows : rows.slice(this.#rowIndex);
            this.#rowIndex = rows.length;
            return { done: false, value: batch };
          }
          if (!(await this.#refill())) return DONE;
        }
      },
      return: () => this.#stop(),
    };
  }
}

/**
 * The delimiter of a header line: tab when it has more tabs than commas outside quotes, else
 * comma; `undefined` when the line is not complete yet.
 */
function detectDelimiter(text: string, final: boolean): ContactDelimiter | undefined {
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (code === COMMA) commas++;
    else if (code === TAB) tabs++;
    else if (code === LF || code === CR) return tabs > commas ? "\t" : ",";
  }
  if (!final) return undefined;
  return tabs > commas ? "\t" : ",";
}

/** Counts line breaks (CRLF, LF or CR) in `text` from `from` to `to`. */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code === LF) count++;
    else if (code === CR) {
      count++;
      if (text.charCodeAt(index + 1) === LF) index++;
    }
  }
  return count;
}
