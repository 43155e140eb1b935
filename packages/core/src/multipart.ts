/**
 * `multipart/form-data` (RFC 7578), the encoding the API requires for a whole uploaded file (the
 * part `dataFile`). Encoding writes exactly what a browser's `FormData` writes (the HTML
 * standard's algorithm: `"`, CR and LF in names and file names escaped as `%22`, `%0D`, `%0A`,
 * other characters as UTF-8) but with a boundary the caller chooses, since core has no randomness;
 * decoding uses `@remix-run/multipart-parser`, a streaming parser for web streams.
 *
 * @module
 */
import {
  getMultipartBoundary,
  MaxFileSizeExceededError,
  MaxPartsExceededError,
  MaxTotalSizeExceededError,
  MultipartParseError,
  parseMultipart,
  parseMultipartStream,
} from "@remix-run/multipart-parser";
import { FormBodyError } from "./form-body-error.ts";
import type { FormParams } from "./form-urlencoded.ts";

/** A file to send in a multipart body. */
export interface MultipartFile {
  /** The part's name, `dataFile` for the API. */
  field: string;
  /** The file's name as the part's `filename` (any text; UTF-8 on the wire). */
  fileName: string;
  /** The file's media type, e.g. `text/csv`. */
  contentType: string;
  /** The file's content; text is sent as UTF-8. */
  data: Uint8Array | string;
}

/** A file read from a multipart body. */
export interface DecodedMultipartFile {
  field: string;
  fileName: string;
  /** The part's `Content-Type` (`application/octet-stream` when it had none). */
  contentType: string;
  data: Uint8Array;
}

/** What {@linkcode decodeMultipartBody} reads: text parameters and files, each in body order. */
export interface DecodedMultipartBody {
  params: FormParams;
  files: DecodedMultipartFile[];
}

/** The characters RFC 2046 allows in a boundary (a space only inside). */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
/** Boundary characters that oblige the `boundary` parameter to be quoted (RFC 2045 tspecials). */
const NEEDS_QUOTES = /[()+,/:=? ]/;

function checkBoundary(boundary: string): void {
  if (!BOUNDARY.test(boundary))
    throw new TypeError(
      `Invalid multipart boundary "${boundary}": expected 1 to 70 of the characters 0-9 A-Z a-z ' ( ) + _ , - . / : = ? and space, not ending in a space`,
    );
}

/**
 * The `Content-Type` of a multipart body with this boundary.
 *
 * @param boundary The boundary passed to {@linkcode encodeMultipartBody}.
 * @returns `multipart/form-data; boundary=…`, the boundary quoted when it must be.
 * @throws {TypeError} When the boundary is not a valid RFC 2046 boundary.
 *
 * @example A plain and a quoted boundary
 * ```ts
 * import { multipartContentType } from "@ctct-bulk/core";
 * multipartContentType("ctct-bulk-0123abcd"); // "multipart/form-data; boundary=ctct-bulk-0123abcd"
 * multipartContentType("a:b"); // 'multipart/form-data; boundary="a:b"'
 * ```
 */
export function multipartContentType(boundary: string): string {
  checkBoundary(boundary);
  return `multipart/form-data; boundary=${NEEDS_QUOTES.test(boundary) ? `"${boundary}"` : boundary}`;
}

/**
 * A boundary made from random bytes the caller hands in (core has no randomness of its own).
 *
 * @param randomBytes At least 12 random bytes, e.g. `crypto.getRandomValues(new Uint8Array(16))`.
 * @returns `ctct-bulk-` followed by the bytes in hex.
 * @throws {RangeError} When fewer than 12 bytes are given.
 *
 * @example A boundary from fixed bytes
 * ```ts
 * import { createMultipartBoundary } from "@ctct-bulk/core";
 * createMultipartBoundary(new Uint8Array(12).fill(171)); // "ctct-bulk-abababababababababababab"
 * ```
 */
export function createMultipartBoundary(randomBytes: Uint8Array): string {
  if (randomBytes.length < 12)
    throw new RangeError(
      `Too few random bytes for a multipart boundary: expected at least 12, got ${randomBytes.length}`,
    );
  let hex = "";
  for (const byte of randomBytes.subarray(0, 30)) hex += byte.toString(16).padStart(2, "0");
  return `ctct-bulk-${hex}`;
}

/** Escapes a name or file name for a quoted header parameter, as the HTML standard does. */
function escapeHeaderValue(text: string): string {
  return text.replaceAll('"', "%22").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

const encoder = new TextEncoder();

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let start = haystack.indexOf(first); start >= 0 && start <= last; ) {
    let index = 1;
    while (index < needle.length && haystack[start + index] === needle[index]) index++;
    if (index === needle.length) return true;
    start = haystack.indexOf(first, start + 1);
  }
  return false;
}

/**
 * Encodes form parameters and one file as a `multipart/form-data` body: the parameters in order,
 * then the file. Send it with {@linkcode multipartContentType}`(boundary)`.
 *
 * @param params The text parameters in order; repeat a name for each of its values.
 * @param file The file, in the part `file.field` (`dataFile` for the API). A name or file name
 *   that itself contains `%22`, `%0D` or `%0A` does not survive the trip, as in browsers.
 * @param boundary The boundary: 1–70 RFC 2046 characters, not found in the content (e.g. from
 *   {@linkcode createMultipartBoundary}).
 * @returns The body's bytes.
 * @throws {TypeError} When the boundary is invalid or occurs in a value or in the file.
 *
 * @example An add with an uploaded file
 * ```ts
 * import { encodeMultipartBody } from "@ctct-bulk/core";
 * const body = encodeMultipartBody(
 *   [["activityType", "SV_ADD"], ["lists", "http://api.constantcontact.com/ws/customers/joesflowers/lists/2"]],
 *   { field: "dataFile", fileName: "contacts.csv", contentType: "text/csv", data: "EMAIL ADDRESS\na@example.com" },
 *   "ctct-bulk-0123abcd",
 * );
 * new TextDecoder().decode(body).startsWith('--ctct-bulk-0123abcd\r\nContent-Disposition: form-data; name="activityType"\r\n\r\nSV_ADD\r\n'); // true
 * ```
 */
export function encodeMultipartBody(
  params: FormParams,
  file: MultipartFile,
  boundary: string,
): Uint8Array {
  checkBoundary(boundary);
  if (/[\r\n]/.test(file.contentType))
    throw new TypeError(`Invalid content type "${file.contentType}": it contains a line break`);
  const delimiter = `--${boundary}`;
  const delimiterBytes = encoder.encode(delimiter);
  let head = "";
  for (const [name, value] of params) {
    if (value.includes(delimiter))
      throw new TypeError(
        `Invalid multipart boundary "${boundary}": it occurs in the value of "${name}"`,
      );
    head += `${delimiter}\r\nContent-Disposition: form-data; name="${escapeHeaderValue(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `${delimiter}\r\nContent-Disposition: form-data; name="${escapeHeaderValue(file.field)}"; ` +
    `filename="${escapeHeaderValue(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`;
  const data = typeof file.data === "string" ? encoder.encode(file.data) : file.data;
  if (contains(data, delimiterBytes))
    throw new TypeError(
      `Invalid multipart boundary "${boundary}": it occurs in the file "${file.fileName}"`,
    );
  const headBytes = encoder.encode(head);
  const tailBytes = encoder.encode(`\r\n${delimiter}--\r\n`);
  const body = new Uint8Array(headBytes.length + data.length + tailBytes.length);
  body.set(headBytes, 0);
  body.set(data, headBytes.length);
  body.set(tailBytes, headBytes.length + data.length);
  return body;
}

/**
 * The same parameters and file as a web `FormData`, for a `fetch` that picks its own boundary.
 *
 * @param params The text parameters in order.
 * @param file The file, as a `File` in the part `file.field`.
 * @returns A `FormData` holding the parameters, then the file.
 *
 * @example Posting with fetch
 * ```ts
 * import { toFormData } from "@ctct-bulk/core";
 * const form = toFormData([["activityType", "SV_ADD"]], {
 *   field: "dataFile", fileName: "contacts.csv", contentType: "text/csv", data: "EMAIL ADDRESS\na@example.com",
 * });
 * const file = form.get("dataFile");
 * if (file instanceof File) file.name; // "contacts.csv"
 * form.get("activityType"); // "SV_ADD"
 * ```
 */
export function toFormData(params: FormParams, file?: MultipartFile): FormData {
  const form = new FormData();
  for (const [name, value] of params) form.append(name, value);
  if (file) {
    const part: BlobPart =
      typeof file.data === "string" ? file.data : (file.data as Uint8Array<ArrayBuffer>);
    form.append(file.field, new File([part], file.fileName, { type: file.contentType }));
  }
  return form;
}

/** Options of {@linkcode decodeMultipartBody}. */
export interface DecodeMultipartOptions {
  /** The largest part accepted, in bytes (default 64 MiB). */
  maxPartBytes?: number;
  /** The most parts accepted (default 1000). */
  maxParts?: number;
  /**
   * Names of parts that are files even when sent without a `filename` (as `curl -F 'dataFile=<f'`
   * sends them; RFC 7578 only says a file part SHOULD name its file): such a part becomes a file
   * named `""`, with its bytes as sent and `text/plain` when it has no `Content-Type`.
   */
  fileFields?: readonly string[];
}

/** Reverses the HTML standard's escaping of `"`, CR and LF in names and file names. */
function unescapeHeaderValue(text: string): string {
  return text.includes("%")
    ? text.replace(/%(?:22|0D|0A)/gi, (found) =>
        String.fromCharCode(Number.parseInt(found.slice(1), 16)),
      )
    : text;
}

const DISPOSITION_PARAMETER = /;\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))/g;

/**
 * The `name` and `filename` of a part's `Content-Disposition`, read as browsers write them
 * (quoted, no backslash escapes, spaces kept). Hand-written because the parser's own reading
 * follows HTTP's quoted-string rules, which drop a file name's backslashes and outer spaces.
 */
function readDisposition(header: string | undefined): { name?: string; fileName?: string } {
  const found: { name?: string; fileName?: string } = {};
  for (const match of (header ?? "").matchAll(DISPOSITION_PARAMETER)) {
    const key = match[1]!.toLowerCase();
    const value = unescapeHeaderValue(match[2] ?? match[3] ?? "");
    if (key === "name") found.name ??= value;
    else if (key === "filename") found.fileName ??= value;
  }
  return found;
}

const DEFAULT_MAX_PART_BYTES = 64 * 1024 * 1024;

/** The most preamble bytes skipped before the first boundary; past it the parser sees the body as is. */
const MAX_PREAMBLE_BYTES = 64 * 1024;

/**
 * Where the first delimiter line (`--boundary` at the start or after a line break) begins, or -1.
 * Hand-written because the parser (`@remix-run/multipart-parser`) refuses a preamble, which RFC
 * 2046 §5.1.1 tells receivers to ignore (JavaMail and e-mail libraries write one).
 */
function firstDelimiter(bytes: Uint8Array, delimiter: Uint8Array): number {
  const limit = Math.min(bytes.length - delimiter.length, MAX_PREAMBLE_BYTES);
  for (let start = 0; start <= limit; start++) {
    if (start > 0 && bytes[start - 1] !== 0x0a) continue;
    let at = 0;
    while (at < delimiter.length && bytes[start + at] === delimiter[at]) at++;
    if (at === delimiter.length) return start;
  }
  return -1;
}

function withoutPreamble(body: Uint8Array, delimiter: Uint8Array): Uint8Array {
  const start = firstDelimiter(body, delimiter);
  return start > 0 ? body.subarray(start) : body;
}

/** The stream from its first delimiter line on: the preamble's chunks are held until it is found. */
function streamWithoutPreamble(
  body: ReadableStream<Uint8Array>,
  delimiter: Uint8Array,
): ReadableStream<Uint8Array> {
  let held = new Uint8Array(0);
  let found = false;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (found) return controller.enqueue(chunk);
        const joined = new Uint8Array(held.length + chunk.length);
        joined.set(held);
        joined.set(chunk, held.length);
        const start = firstDelimiter(joined, delimiter);
        if (start >= 0 || joined.length > MAX_PREAMBLE_BYTES + delimiter.length) {
          found = true;
          controller.enqueue(start > 0 ? joined.subarray(start) : joined);
        } else held = joined;
      },
      flush(controller) {
        if (!found && held.length > 0) controller.enqueue(held);
      },
    }),
  );
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true }); // as the parser reads text parts

/** A text part's value; bytes that are not UTF-8 are a `FormBodyError` naming the parameter. */
function partText(field: string, bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new FormBodyError(
      `Invalid UTF-8 in parameter "${field}": the part's bytes are not UTF-8 text`,
      field,
      0,
    );
  }
}

/**
 * Decodes a `multipart/form-data` body: text parts become parameters, parts with a `filename`
 * (or named in `options.fileFields`) become files. A preamble before the first boundary (up to
 * 64 KiB) and an epilogue after the last are ignored, as RFC 2046 says. Parsing is `@remix-run/multipart-parser` (web streams, no Node API): the
 * platform's `Response.formData()` in Node 24 fails on a part whose content holds the bare
 * boundary text, which RFC 2046 allows.
 *
 * @param body The body's bytes, or a stream of them.
 * @param contentType The request's `Content-Type`, with its `boundary` parameter.
 * @param options Limits on the parts.
 * @returns The parameters and files, each in body order.
 * @throws {FormBodyError} When the content type has no boundary or the body is not a
 *   well-formed multipart body for it (`parameter` is `""`, `cause` is the parser's error).
 * @throws {RangeError} When a part or the number of parts is over the limits.
 *
 * @example Reading back an encoded body
 * ```ts
 * import { decodeMultipartBody, encodeMultipartBody, multipartContentType } from "@ctct-bulk/core";
 * const file = { field: "dataFile", fileName: "c.csv", contentType: "text/csv", data: "EMAIL ADDRESS" };
 * const body = encodeMultipartBody([["activityType", "SV_ADD"]], file, "b0undary");
 * const { params, files } = await decodeMultipartBody(body, multipartContentType("b0undary"));
 * params; // [["activityType", "SV_ADD"]]
 * files[0]?.fileName; // "c.csv"
 * ```
 */
export async function decodeMultipartBody(
  body: Uint8Array | ReadableStream<Uint8Array>,
  contentType: string,
  options: DecodeMultipartOptions = {},
): Promise<DecodedMultipartBody> {
  const boundary = getMultipartBoundary(contentType);
  if (!boundary)
    throw new FormBodyError(
      `Invalid multipart content type "${contentType}": expected multipart/form-data with a boundary`,
      "",
      0,
    );
  const maxFileSize = options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES;
  const parserOptions = {
    boundary,
    maxFileSize,
    maxParts: options.maxParts ?? 1000,
    maxTotalSize: Number.MAX_SAFE_INTEGER,
  };
  const params: [string, string][] = [];
  const files: DecodedMultipartFile[] = [];
  try {
    const delimiter = new TextEncoder().encode(`--${boundary}`);
    const parts =
      body instanceof Uint8Array
        ? parseMultipart(withoutPreamble(body, delimiter), parserOptions)
        : parseMultipartStream(streamWithoutPreamble(body, delimiter), parserOptions);
    for await (const part of parts) {
      const disposition = readDisposition(part.headers["content-disposition"]);
      // Where our reading of the header found the name, it alone decides whether there is a file
      // name: the library's own reading sees `filename=` inside a quoted name such as ";filename=\\".
      const field = disposition.name ?? part.name ?? "";
      const fileName = disposition.name !== undefined ? disposition.fileName : part.filename;
      if (fileName === undefined && !options.fileFields?.includes(field))
        params.push([field, partText(field, part.bytes)]);
      else
        files.push({
          field,
          fileName: fileName ?? "",
          // A part without a filename is a form field, text/plain by RFC 7578's default.
          contentType:
            part.headers["content-type"] ??
            (fileName === undefined ? "text/plain" : "application/octet-stream"),
          data: part.bytes,
        });
    }
  } catch (cause) {
    if (
      cause instanceof MaxFileSizeExceededError ||
      cause instanceof MaxPartsExceededError ||
      cause instanceof MaxTotalSizeExceededError
    )
      throw new RangeError(`Multipart body too large: ${cause.message}`, { cause });
    if (!(cause instanceof MultipartParseError)) throw cause;
    const error = new FormBodyError(`Malformed multipart/form-data body: ${cause.message}`, "", 0);
    error.cause = cause;
    throw error;
  }
  return { params, files };
}
