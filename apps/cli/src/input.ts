import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pipeline, Readable } from "node:stream";
import { ReadableStream as NodeWebStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import type XLSX from "xlsx";
import { CliError } from "./cli-error.ts";
import type { CliContext } from "./context.ts";
import { EXIT_CODES } from "./exit-codes.ts";

/** The kinds of contact file the CLI reads. */
export type InputFormat = "csv" | "txt" | "excel";

/** A contact file opened for streaming. */
export interface OpenedInput {
  /** The path as given, or `"-"` for stdin. */
  path: string;
  /** The name to report in messages: the path, or `"stdin"`. */
  displayName: string;
  /** The file's own name without `.gz` (what the rows came from), e.g. `contacts.csv`. */
  fileName: string;
  /** What the file holds, from its extension or its first bytes. */
  format: InputFormat;
  /** Whether it was gzip-compressed. */
  compressed: boolean;
  /** Its size on disk in bytes (compressed, for `.gz`); unknown for stdin. */
  size: number | undefined;
  /** Its last modification time on disk in milliseconds; unknown for stdin. */
  mtimeMs: number | undefined;
  /** The contact file's bytes (Excel: its first sheet as CSV text), decompressed. */
  stream: ReadableStream<Uint8Array>;
  /** The first bytes of `stream` (still in it), for sniffing; empty for Excel. */
  head: Uint8Array;
  /** The worksheet read, for an Excel workbook. */
  sheet: string | undefined;
  /** How many bytes of the file on disk (or stdin) have been read so far, for progress. */
  bytesRead(): number;
}

/** Options of {@linkcode openInputFile}. */
export interface OpenInputOptions {
  /** The worksheet of an Excel file to read (default: the first). */
  sheet?: string;
  /**
   * The text encoding of a CSV or text file, a WHATWG label such as `windows-1252` (default
   * UTF-8): the bytes are decoded with `TextDecoder` here, at the edge, and handed on as UTF-8.
   */
  encoding?: string;
}

/**
 * Checks an `--encoding` label.
 *
 * @param label The label as typed.
 * @returns The encoding's canonical name (`windows-1252` for `latin1`), or `undefined` for UTF-8.
 * @throws {CliError} (exit code 2) for a label `TextDecoder` does not know.
 * @example Excel's CSV on Windows
 * ```ts
 * import { checkEncoding } from "./input.ts"; // internal to @ctct-bulk/cli
 * checkEncoding("cp1252"); // "windows-1252"
 * ```
 */
export function checkEncoding(label: string): string | undefined {
  let encoding: string;
  try {
    encoding = new TextDecoder(label).encoding;
  } catch (cause) {
    throw new CliError(
      `Invalid --encoding "${label}": expected an encoding label such as utf-8, windows-1252 or iso-8859-15`,
      { exitCode: EXIT_CODES.USAGE, cause },
    );
  }
  return encoding === "utf-8" ? undefined : encoding;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // .xlsx
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // .xls

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

/** Reads the first chunk of a stream and gives back a stream that still starts with it. */
async function peek(
  stream: ReadableStream<Uint8Array>,
  describe: (error: unknown) => unknown = (error) => error,
): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  let first: ReadableStreamReadResult<Uint8Array>;
  try {
    first = await reader.read();
  } catch (error) {
    throw describe(error);
  }
  const head = first.done ? new Uint8Array(0) : first.value;
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (head.byteLength > 0) controller.enqueue(head);
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(describe(error));
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head, stream: rest };
}

/**
 * A Node stream as a Web stream read on demand: `ReadableStream.from()` pulls one chunk per read,
 * where `Readable.toWeb()` reads ahead of a slow consumer (measured: 134 MB against 89 MB of
 * peak RSS for 190 MB piped through a slow reader).
 */
function fromNode(readable: Readable): ReadableStream<Uint8Array> {
  return NodeWebStream.from(readable) as unknown as ReadableStream<Uint8Array>;
}

function countBytes(counter: { bytes: number }): TransformStream<Uint8Array, Uint8Array> {
  return new TransformStream({
    transform(chunk, controller) {
      counter.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

function formatFromName(name: string): InputFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".txt") || lower.endsWith(".tsv")) return "txt";
  if (/\.xls[xmb]?$/.test(lower)) return "excel";
  return undefined;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Gives every date cell of a sheet the text `yyyy-mm-dd` (`yyyy-mm-dd hh:mm:ss` with a time of
 * day), whatever its display format: Excel's default `m/d/yy` reads as "1/2/24", which a Canadian
 * reader takes for February 1st (ADR 0057).
 */
function isoDates(xlsx: typeof XLSX, worksheet: XLSX.WorkSheet): void {
  // A dense sheet (SheetJS 0.18) keeps its rows as arrays under their indexes.
  const dense = worksheet as unknown as Record<string, (XLSX.CellObject | undefined)[] | undefined>;
  for (const key of Object.keys(worksheet)) {
    const row = /^\d+$/.test(key) ? dense[key] : undefined;
    if (!Array.isArray(row)) continue;
    for (const cell of row) {
      if (cell?.t !== "n" || typeof cell.v !== "number" || typeof cell.z !== "string") continue;
      if (!xlsx.SSF.is_date(cell.z)) continue;
      cell.w = xlsx.SSF.format(
        Number.isInteger(cell.v) ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm:ss",
        cell.v,
      );
    }
  }
}

/**
 * Converts an Excel workbook's sheet to CSV text, streamed a row at a time. The workbook itself
 * must be read whole (the format is a zip or OLE container), which Excel's own limit of 1,048,576
 * rows keeps bounded.
 */
async function excelToCsv(
  bytes: Uint8Array,
  displayName: string,
  sheet?: string,
): Promise<{ stream: ReadableStream<Uint8Array>; sheet: string }> {
  // SheetJS is large: loaded only when a workbook is read.
  const { default: xlsx } = await import("xlsx");
  let workbook: XLSX.WorkBook;
  try {
    workbook = xlsx.read(bytes, { type: "array", dense: true, cellDates: false, cellNF: true });
  } catch (cause) {
    throw new CliError(
      `Cannot read "${displayName}" as an Excel workbook: ${String((cause as Error).message ?? cause)}`,
      {
        exitCode: EXIT_CODES.USAGE,
        hint: "Save it as .xlsx or .csv and try again",
        cause,
      },
    );
  }
  const name = sheet ?? workbook.SheetNames[0];
  const worksheet = name === undefined ? undefined : workbook.Sheets[name];
  if (!worksheet) {
    throw new CliError(
      sheet === undefined
        ? `Excel workbook "${displayName}" has no worksheet`
        : `Unknown worksheet "${sheet}" in "${displayName}": expected one of ${workbook.SheetNames.map((n) => `"${n}"`).join(", ")}`,
      { exitCode: EXIT_CODES.USAGE, hint: "Name the sheet with --sheet" },
    );
  }
  isoDates(xlsx, worksheet);
  // Blank rows are kept as empty lines (which the reader skips, counting them), so that a line
  // number the CLI reports is the row the operator sees in Excel; SheetJS's `blankrows: false`
  // would drop them and shift every later line. Those before the header are left out: the header
  // is line 1. SheetJS streams one row a chunk, each after the line break that ends the last one.
  const rows: Readable = xlsx.stream.to_csv(worksheet, { blankrows: true });
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  let first = true;
  let started = false;
  const stream = (
    NodeWebStream.from(rows) as unknown as ReadableStream<Uint8Array | string>
  ).pipeThrough(
    new TransformStream<Uint8Array | string, Uint8Array>({
      transform(chunk, controller) {
        let text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
        // SheetJS starts its CSV stream with a byte-order mark: not part of the header.
        if (first && text.startsWith("\uFEFF")) text = text.slice(1);
        first = false;
        if (text === "") return;
        const blank = /^\n?,*$/.test(text);
        if (!started) {
          if (blank) return;
          started = true;
          text = text.replace(/^\n/, "");
        } else if (blank) text = "\n";
        controller.enqueue(encoder.encode(text));
      },
    }),
  );
  return { stream, sheet: name! };
}

/**
 * Opens a contact file for streaming: `.csv`, `.txt` (comma or tab), `.xls`/`.xlsx` (converted to
 * CSV text here, at the edge), any of them gzip-compressed (`.gz`, or recognised by its first
 * bytes), or `-` for stdin. Nothing is read into memory but Excel workbooks.
 *
 * @param path The path as the user typed it, relative to `context.cwd`, or `"-"`.
 * @param context The process's directory and stdin.
 * @param options The Excel worksheet to read.
 * @returns The opened input.
 * @throws {CliError} naming the file when it cannot be opened.
 * @example Opening a compressed CSV file
 * ```ts
 * import { openInputFile, processContext } from "@ctct-bulk/cli";
 * const input = await openInputFile("contacts.csv.gz", processContext());
 * input.fileName; // "contacts.csv"
 * ```
 */
export async function openInputFile(
  path: string,
  context: Pick<CliContext, "cwd" | "stdin">,
  options: OpenInputOptions = {},
): Promise<OpenedInput> {
  const encoding = options.encoding === undefined ? undefined : checkEncoding(options.encoding);
  const counter = { bytes: 0 };
  let raw: ReadableStream<Uint8Array>;
  let displayName: string;
  let name: string;
  let size: number | undefined;
  let mtimeMs: number | undefined;
  if (path === "-") {
    displayName = "stdin";
    name = "stdin";
    raw = fromNode(context.stdin as Readable);
  } else {
    displayName = path;
    const absolute = resolve(context.cwd, path);
    name = basename(absolute);
    try {
      const info = await stat(absolute);
      if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
      size = info.size;
      mtimeMs = info.mtimeMs;
    } catch (cause) {
      throw fileError(path, cause);
    }
    // A file-backed Blob's stream reads as it is pulled; Readable.toWeb(createReadStream()) reads
    // ahead without bound when the consumer is slower than the disk (the whole file, in memory).
    raw = (await openAsBlob(absolute)).stream();
  }
  raw = raw.pipeThrough(countBytes(counter));
  let { head, stream } = await peek(raw);
  const compressed = startsWith(head, GZIP_MAGIC);
  const fileName = name.replace(/\.(gz|gzip)$/i, "");
  if (compressed) {
    // zlib's gunzip reads concatenated members (pigz, bgzip, `cat a.gz b.gz`), which
    // DecompressionStream refuses as "trailing junk".
    const gunzip = createGunzip();
    pipeline(
      Readable.fromWeb(stream as import("node:stream/web").ReadableStream<Uint8Array>),
      gunzip,
      () => {},
    );
    ({ head, stream } = await peek(fromNode(gunzip), (cause) =>
      CliError.isInstance(cause)
        ? cause
        : new CliError(`Cannot decompress "${displayName}": ${(cause as Error).message}`, {
            exitCode: EXIT_CODES.USAGE,
            hint: "The gzip file is damaged or cut short: compress it again",
            cause,
          }),
    ));
  }

  const excelByBytes = startsWith(head, ZIP_MAGIC) || startsWith(head, OLE_MAGIC);
  let sheet: string | undefined;
  const format = formatFromName(fileName) ?? (excelByBytes ? "excel" : "csv");
  // An option that does not apply to the file is a mistake about the file: not ignored.
  if (options.sheet !== undefined && format !== "excel")
    throw new CliError(
      `--sheet "${options.sheet}" is for an Excel workbook: "${displayName}" is a CSV or text file`,
      { exitCode: EXIT_CODES.USAGE, hint: "Leave --sheet out for this file" },
    );
  if (options.encoding !== undefined && format === "excel")
    throw new CliError(
      `--encoding "${options.encoding}" is for a CSV or text file: "${displayName}" is an Excel workbook`,
      { exitCode: EXIT_CODES.USAGE, hint: "Leave --encoding out: a workbook's text needs none" },
    );
  if (format === "excel") {
    if (!excelByBytes)
      throw new CliError(
        `Cannot read "${displayName}" as an Excel workbook: it is not a .xls or .xlsx file`,
        {
          exitCode: EXIT_CODES.USAGE,
          hint: "Rename it to .csv or .txt if it holds text",
        },
      );
    ({ stream, sheet } = await excelToCsv(await readAll(stream), displayName, options.sheet));
    head = new Uint8Array(0);
  } else if (encoding) {
    // Decoded to text and encoded back as UTF-8: the rest of the CLI reads UTF-8 only.
    const decoded = stream
      .pipeThrough(
        new TextDecoderStream(encoding) as unknown as TransformStream<Uint8Array, string>,
      )
      .pipeThrough(new TextEncoderStream());
    ({ head, stream } = await peek(decoded));
  }
  return {
    path,
    displayName,
    fileName,
    format,
    compressed,
    size,
    mtimeMs,
    stream,
    head,
    sheet,
    bytesRead: () => counter.bytes,
  };
}

/**
 * Why a file could not be read, in the words a user reads (`no such file`), not a code (`ENOENT`).
 *
 * @param cause The error of the read.
 * @returns The reason.
 * @example
 * ```ts
 * fileProblem(Object.assign(new Error("…"), { code: "ENOENT" })); // "no such file"
 * ```
 */
export function fileProblem(cause: unknown): string {
  const code = (cause as { code?: string }).code;
  return code === "ENOENT"
    ? "no such file"
    : code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : code === "EISDIR"
        ? "it is a directory"
        : String((cause as Error).message ?? cause);
}

function fileError(path: string, cause: unknown): CliError {
  const reason = fileProblem(cause);
  return new CliError(`Cannot open "${path}": ${reason}`, {
    exitCode: EXIT_CODES.USAGE,
    hint: "Check the path (use - to read stdin)",
    cause,
  });
}
