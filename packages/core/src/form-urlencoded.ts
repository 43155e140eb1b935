/**
 * `application/x-www-form-urlencoded`, exactly as the Bulk Activities API documents it (SPEC §2):
 * names and values are UTF-8, a space becomes `+`, ASCII letters, digits and `*-._` stay as they
 * are, and every other byte becomes `%HH` (upper-case hex); pairs are joined by `&` and a
 * multi-valued parameter repeats its name. This is the byte-for-byte output of an HTML form (the
 * WHATWG URL standard's serializer), which the seed's example bodies match.
 *
 * The encoders are lookup tables writing escapes directly into a byte array, over the text's
 * UTF-16 code units (names, values, the chunker's fields) or over its UTF-8 bytes from
 * `TextEncoder.encodeInto` (large values): `URLSearchParams` is ~10× slower and
 * `encodeURIComponent` escapes a different set (it keeps `!'()~` and writes `%20`), so neither
 * gives these bytes without a second pass. ADR 0080 has the measurements behind the hot loops.
 *
 * @module
 */
import { isEmptyRow } from "./_rows.ts";
import { FormBodyError } from "./form-body-error.ts";

/** Form parameters in order: `[name, value]` pairs, a name repeated for each of its values. */
export type FormParams = ReadonlyArray<readonly [name: string, value: string]>;

/** A value that is already form-encoded (e.g. a chunk's `encodedData`), to be sent as it is. */
export interface PreEncodedFormValue {
  /** The value's form-encoded bytes (ASCII only). */
  readonly encoded: Uint8Array;
}

/** A parameter for {@linkcode encodeFormBodyBytes}: a text value, or one already encoded. */
export type FormBodyPart = readonly [name: string, value: string | PreEncodedFormValue];

/** The media type of a form-urlencoded body. */
export const FORM_URLENCODED_CONTENT_TYPE = "application/x-www-form-urlencoded";

const HEX_DIGITS = "0123456789ABCDEF";
/** For each ASCII code: the byte to write when it stays literal (`+` for space), else 0. */
const LITERAL = new Uint8Array(128);
/** For each byte: the two hex digits of its escape. */
const HIGH_DIGIT = new Uint8Array(256);
const LOW_DIGIT = new Uint8Array(256);
/** For each ASCII code: how many bytes it takes once encoded (1 or 3). */
const ASCII_WIDTH = new Uint8Array(128);
for (let code = 0; code < 256; code++) {
  HIGH_DIGIT[code] = HEX_DIGITS.charCodeAt(code >> 4);
  LOW_DIGIT[code] = HEX_DIGITS.charCodeAt(code & 15);
}
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  const literal = /^[A-Za-z0-9*\-._]$/.test(char);
  LITERAL[code] = literal ? code : code === 0x20 ? 0x2b : 0;
  ASCII_WIDTH[code] = LITERAL[code] !== 0 ? 1 : 3;
}

const utf8Encoder = new TextEncoder();
/** For each byte: how many output bytes it takes (1 or 3). */
const BYTE_WIDTH = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) BYTE_WIDTH[byte] = byte < 0x80 ? ASCII_WIDTH[byte]! : 3;

function writeEscape(out: Uint8Array, position: number, byte: number): number {
  out[position] = 0x25;
  out[position + 1] = HIGH_DIGIT[byte]!;
  out[position + 2] = LOW_DIGIT[byte]!;
  return position + 3;
}

/**
 * The largest number of bytes a text of `length` UTF-16 code units can take once form-encoded:
 * each unit is at most 3 UTF-8 bytes, each escaped as 3 characters.
 *
 * @internal
 */
export function maxFormEncodedLength(length: number): number {
  return length * 9;
}

/** Whether `code` and `next` are a high and a low surrogate: one code point in two units. */
function isSurrogatePair(code: number, next: number): boolean {
  return (code & 0xfc00) === 0xd800 && (next & 0xfc00) === 0xdc00;
}

/**
 * Writes the `%HH` escapes of the UTF-8 bytes of a non-ASCII UTF-16 unit `code`, taking `next`
 * with it when the two are a surrogate pair (the caller then skips `next`); a lone surrogate is
 * written as U+FFFD.
 */
function writeNonAsciiEscapes(
  out: Uint8Array,
  position: number,
  code: number,
  next: number,
): number {
  if (code < 0x800) {
    position = writeEscape(out, position, 0xc0 | (code >> 6));
    return writeEscape(out, position, 0x80 | (code & 0x3f));
  }
  if (isSurrogatePair(code, next)) {
    const point = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
    position = writeEscape(out, position, 0xf0 | (point >> 18));
    position = writeEscape(out, position, 0x80 | ((point >> 12) & 0x3f));
    position = writeEscape(out, position, 0x80 | ((point >> 6) & 0x3f));
    return writeEscape(out, position, 0x80 | (point & 0x3f));
  }
  if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
  position = writeEscape(out, position, 0xe0 | (code >> 12));
  position = writeEscape(out, position, 0x80 | ((code >> 6) & 0x3f));
  return writeEscape(out, position, 0x80 | (code & 0x3f));
}

/**
 * Writes the form encoding of `text` into `out` from `position`, which must have room for
 * {@linkcode maxFormEncodedLength}`(text.length)` bytes (or for {@linkcode formEncodedLength}).
 * Lone surrogates are written as U+FFFD, as `TextEncoder` does.
 *
 * @internal Shared by the encoder and the chunker; not part of the public API.
 * @returns The position after the last byte written.
 */
export function writeFormEncoded(text: string, out: Uint8Array, position: number): number {
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      const literal = LITERAL[code]!;
      if (literal !== 0) out[position++] = literal;
      else {
        out[position] = 0x25;
        out[position + 1] = HIGH_DIGIT[code]!;
        out[position + 2] = LOW_DIGIT[code]!;
        position += 3;
      }
    } else {
      const next = index + 1 < length ? text.charCodeAt(index + 1) : 0;
      position = writeNonAsciiEscapes(out, position, code, next);
      if (isSurrogatePair(code, next)) index++;
    }
  }
  return position;
}

/**
 * Whether `code` is whitespace to the regular expression `\s` (ASCII and Unicode spaces, line
 * breaks and U+FEFF): a field starting or ending with one is quoted by the line writer, since the
 * reader trims it. Kept beside the field writer so that both agree with `formatContactLine`.
 */
function isRegExpSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** {@linkcode LITERAL} over every UTF-16 unit (64 KB): 0 for every unit from 0x80 up. */
const UNIT_LITERAL = new Uint8Array(0x10000);
UNIT_LITERAL.set(LITERAL);

/** Line breaks counted while writing a contact line: CR, LF and CR LF each count once. */
export interface LineBreakCount {
  /** Incremented by {@linkcode writeFormEncodedContactLine} for each break inside quotes. */
  breaks: number;
}

/**
 * The most bytes {@linkcode writeFormEncodedContactLine} writes for a line of `fields` fields
 * holding `units` UTF-16 code units in all: each unit at most 9 bytes (a doubled quote takes 6),
 * each field at most 9 more (two quotes, a delimiter).
 *
 * @internal
 */
export function maxFormEncodedLineLength(fields: number, units: number): number {
  return 9 * units + 9 * fields;
}

/**
 * Writes `formatContactLine(fields, delimiter)` form-encoded into `out` from `position`, without
 * building the line: each field is scanned once, written as it is scanned, and rewritten quoted in
 * the rare case that it needs quotes (a `"`, CR, LF or the delimiter inside; whitespace at either
 * end). `out` must have room for {@linkcode maxFormEncodedLineLength}. The chunker's hot loop:
 * hand-written because neither `TextEncoder.encodeInto` (a call per field costs more than the
 * field) nor a line string (a string per row, then a regex per field) keeps up with the
 * platform's `encodeURIComponent` (ADR 0080).
 *
 * @internal Not part of the public API; property-tested against `formatContactLine`.
 * @param lines Counts the line breaks written inside quotes (the line map needs them).
 * @returns The position after the last byte written.
 */
export function writeFormEncodedContactLine(
  fields: readonly string[],
  delimiter: number,
  out: Uint8Array,
  position: number,
  lines: LineBreakCount,
): number {
  const count = fields.length;
  // A row of empty fields has its first quoted: unquoted it would read as a blank line or a row
  // of empty cells, which the reader skips (ADR 0121).
  const quoteFirst = count > 0 && fields[0]!.length === 0 && isEmptyRow(fields);
  const delimiterHigh = HIGH_DIGIT[delimiter]!;
  const delimiterLow = LOW_DIGIT[delimiter]!;
  for (let field = 0; field < count; field++) {
    if (field > 0) {
      out[position] = 0x25;
      out[position + 1] = delimiterHigh;
      out[position + 2] = delimiterLow;
      position += 3;
    }
    const text = fields[field]!;
    const length = text.length;
    if (length === 0) {
      if (quoteFirst && field === 0) position = writeQuotedField("", out, position, lines);
      continue;
    }
    if (isRegExpSpace(text.charCodeAt(0)) || isRegExpSpace(text.charCodeAt(length - 1))) {
      position = writeQuotedField(text, out, position, lines);
      continue;
    }
    // The literal units first, in a loop small enough to stay fast; the rest, from the first
    // unit that is not literal, in a second one.
    let index = 0;
    for (; index < length; index++) {
      const literal = UNIT_LITERAL[text.charCodeAt(index)]!;
      if (literal === 0) break;
      out[position++] = literal;
    }
    if (index < length)
      position = writeFieldRest(text, index, out, position - index, position, delimiter, lines);
  }
  return position;
}

/**
 * Writes `text` from `index` (its units before written from `start` to `position`), rewriting
 * the whole field quoted from `start` if it turns out to need quotes.
 */
function writeFieldRest(
  text: string,
  index: number,
  out: Uint8Array,
  start: number,
  position: number,
  delimiter: number,
  lines: LineBreakCount,
): number {
  const length = text.length;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    const literal = UNIT_LITERAL[code]!;
    if (literal !== 0) out[position++] = literal;
    else if (code < 0x80) {
      if (code === 0x22 || code === 0x0a || code === 0x0d || code === delimiter)
        return writeQuotedField(text, out, start, lines);
      out[position] = 0x25;
      out[position + 1] = HIGH_DIGIT[code]!;
      out[position + 2] = LOW_DIGIT[code]!;
      position += 3;
    } else {
      const next = index + 1 < length ? text.charCodeAt(index + 1) : 0;
      position = writeNonAsciiEscapes(out, position, code, next);
      if (isSurrogatePair(code, next)) index++;
    }
  }
  return position;
}

/** Writes `"text"` encoded, quotes inside doubled, counting its line breaks into `lines`. */
function writeQuotedField(
  text: string,
  out: Uint8Array,
  position: number,
  lines: LineBreakCount,
): number {
  position = writeEscape(out, position, 0x22);
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      const literal = LITERAL[code]!;
      if (literal !== 0) out[position++] = literal;
      else {
        if (code === 0x22) position = writeEscape(out, position, 0x22);
        else if (code === 0x0a) lines.breaks++;
        else if (code === 0x0d && text.charCodeAt(index + 1) !== 0x0a) lines.breaks++;
        position = writeEscape(out, position, code);
      }
    } else {
      const next = index + 1 < length ? text.charCodeAt(index + 1) : 0;
      position = writeNonAsciiEscapes(out, position, code, next);
      if (isSurrogatePair(code, next)) index++;
    }
  }
  return writeEscape(out, position, 0x22);
}

/**
 * How many bytes a text takes once form-encoded, without encoding it.
 *
 * @param text Any text (a lone surrogate counts as U+FFFD).
 * @returns The length of {@linkcode encodeFormComponentBytes}`(text)`.
 *
 * @example Sizes of a few texts
 * ```ts
 * import { formEncodedLength } from "@ctct-bulk/core";
 * formEncodedLength("Fred Test"); // 9
 * formEncodedLength("a,b"); // 5
 * formEncodedLength("é"); // 6
 * ```
 */
export function formEncodedLength(text: string): number {
  const length = text.length;
  let total = 0;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) total += ASCII_WIDTH[code]!;
    else if (code < 0x800) total += 6;
    else if (
      code >= 0xd800 &&
      code < 0xdc00 &&
      index + 1 < length &&
      (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00
    ) {
      total += 12;
      index++;
    } else total += 9;
  }
  return total;
}

/**
 * Form-encodes one name or value as bytes (ASCII): the fast path for large `data` values.
 *
 * @param text Any text; lone surrogates are encoded as U+FFFD.
 * @returns The encoded bytes.
 *
 * @example Encoding a contact line
 * ```ts
 * import { encodeFormComponentBytes } from "@ctct-bulk/core";
 * const bytes = encodeFormComponentBytes("wstest3@example.com, Fred");
 * new TextDecoder().decode(bytes); // "wstest3%40example.com%2C+Fred"
 * ```
 */
export function encodeFormComponentBytes(text: string): Uint8Array {
  // UTF-8 by the platform (TextEncoder.encodeInto), then one pass over the bytes with a lookup
  // table: faster than a loop over the UTF-16 units, which V8 reads more slowly than bytes.
  // Up to MAX_STAGING_BYTES both the UTF-8 and the output go to buffers reused from call to call,
  // so a call allocates only its result: `TextEncoder.encode` allocated a fresh array per call,
  // and over a 200 MB run those dead arrays made V8 collect every few calls (ADR 0080).
  const worstUtf8 = text.length * 3;
  if (worstUtf8 * 3 > MAX_STAGING_BYTES) {
    const utf8 = utf8Encoder.encode(text);
    let length = 0;
    for (let index = 0; index < utf8.length; index++) length += BYTE_WIDTH[utf8[index]!]!;
    const out = new Uint8Array(length);
    writeBytesEncoded(utf8, utf8.length, out, 0);
    return out;
  }
  if (utf8Scratch.length < worstUtf8) {
    utf8Scratch = new Uint8Array(Math.min(Math.max(worstUtf8, 2 * utf8Scratch.length), MAX_UTF8));
    staging = new Uint8Array(utf8Scratch.length * 3);
  }
  const { written } = utf8Encoder.encodeInto(text, utf8Scratch);
  return staging.slice(0, writeBytesEncoded(utf8Scratch, written, staging, 0));
}

/** Inputs up to this size are encoded in reused buffers and copied out; larger ones are measured first. */
const MAX_STAGING_BYTES = 16 * 1024 * 1024;
/** The largest UTF-8 scratch buffer kept: its output (3 bytes a byte) fits MAX_STAGING_BYTES. */
const MAX_UTF8 = Math.floor(MAX_STAGING_BYTES / 3);
let utf8Scratch = new Uint8Array(0);
let staging = new Uint8Array(0);

/**
 * Encodes `utf8[0, length)` into `out` from `position`, a block at a time: V8 optimizes a
 * function for its callers once it has been called often, but a loop entered a few hundred times
 * per run over a megabyte each time only gets on-stack-replaced code. Calling the loop per block
 * keeps it an ordinary hot function (ADR 0080).
 */
function writeBytesEncoded(
  utf8: Uint8Array,
  length: number,
  out: Uint8Array,
  position: number,
): number {
  for (let from = 0; from < length; from += BLOCK_BYTES)
    position = writeBlockEncoded(utf8, from, Math.min(length, from + BLOCK_BYTES), out, position);
  return position;
}

const BLOCK_BYTES = 16 * 1024;

/**
 * One block of {@linkcode writeBytesEncoded}: a byte store for a literal, three for an escape. A
 * branch-free variant (each byte's 1 or 3 output bytes as one 32-bit `DataView` store) ran as
 * fast at best but, for reasons not found, fell into a mode 6x slower for whole runs (ADR 0080).
 */
function writeBlockEncoded(
  utf8: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  position: number,
): number {
  for (let index = from; index < to; index++) {
    const byte = utf8[index]!;
    const literal = byte < 0x80 ? LITERAL[byte]! : 0;
    if (literal !== 0) out[position++] = literal;
    else {
      out[position] = 0x25;
      out[position + 1] = HIGH_DIGIT[byte]!;
      out[position + 2] = LOW_DIGIT[byte]!;
      position += 3;
    }
  }
  return position;
}

const asciiDecoder = new TextDecoder("latin1");

/**
 * Form-encodes one name or value as text.
 *
 * @param text Any text; lone surrogates are encoded as U+FFFD.
 * @returns The encoded text: `+` for space, `%HH` for every byte but ASCII letters, digits and `*-._`.
 *
 * @example The seed's examples
 * ```ts
 * import { encodeFormComponent } from "@ctct-bulk/core";
 * encodeFormComponent("EMAIL ADDRESS,FIRST NAME"); // "EMAIL+ADDRESS%2CFIRST+NAME"
 * const list = "http://api.constantcontact.com/ws/customers/joesflowers/lists/2";
 * encodeFormComponent(list); // "http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2"
 * ```
 */
export function encodeFormComponent(text: string): string {
  return asciiDecoder.decode(encodeFormComponentBytes(text));
}

function isPreEncoded(value: string | PreEncodedFormValue): value is PreEncodedFormValue {
  return typeof value !== "string";
}

/**
 * Encodes form parameters as a body, as bytes, taking pre-encoded values (a chunk's
 * `encodedData`) as they are so that large data is never encoded twice.
 *
 * @param params The parameters in order; a value is a text or `{ encoded }` bytes.
 * @returns The body's bytes.
 *
 * @example A body around pre-encoded data
 * ```ts
 * import { encodeFormBodyBytes, encodeFormComponentBytes } from "@ctct-bulk/core";
 * const data = { encoded: encodeFormComponentBytes("EMAIL ADDRESS\na@example.com") };
 * const body = encodeFormBodyBytes([["activityType", "SV_ADD"], ["data", data]]);
 * new TextDecoder().decode(body); // "activityType=SV_ADD&data=EMAIL+ADDRESS%0Aa%40example.com"
 * ```
 */
export function encodeFormBodyBytes(params: ReadonlyArray<FormBodyPart>): Uint8Array {
  let size = Math.max(0, params.length - 1);
  for (const [name, value] of params) {
    size += formEncodedLength(name) + 1;
    size += isPreEncoded(value) ? value.encoded.length : formEncodedLength(value);
  }
  const out = new Uint8Array(size);
  let position = 0;
  for (const [name, value] of params) {
    if (position > 0) out[position++] = 0x26;
    position = writeFormEncoded(name, out, position);
    out[position++] = 0x3d;
    if (isPreEncoded(value)) {
      out.set(value.encoded, position);
      position += value.encoded.length;
    } else position = writeFormEncoded(value, out, position);
  }
  return out;
}

/**
 * Encodes form parameters as an `application/x-www-form-urlencoded` body.
 *
 * @param params The parameters in order; repeat a name for each of its values.
 * @returns The body, ASCII only.
 *
 * @example The seed's clear-lists request
 * ```ts
 * import { encodeFormBody } from "@ctct-bulk/core";
 * const body = encodeFormBody([
 *   ["activityType", "CLEAR_CONTACTS_FROM_LISTS"],
 *   ["lists", "http://api.constantcontact.com/ws/customers/joesflowers/lists/2"],
 * ]);
 * body; // "activityType=CLEAR_CONTACTS_FROM_LISTS&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F2"
 * ```
 */
export function encodeFormBody(params: FormParams): string {
  return asciiDecoder.decode(encodeFormBodyBytes(params));
}

const HEX_ESCAPE = /%[0-9A-Fa-f]{2}/y;
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/** Finds why `encoded` (one name or value) does not decode, as a `FormBodyError`. */
function describeMalformed(encoded: string, parameter: string, offset: number): FormBodyError {
  const name = parameter.length > 100 ? `${parameter.slice(0, 100)}…` : parameter;
  for (let index = encoded.indexOf("%"); index >= 0; index = encoded.indexOf("%", index + 1)) {
    HEX_ESCAPE.lastIndex = index;
    if (!HEX_ESCAPE.test(encoded)) {
      const shown = encoded.slice(index, index + 3);
      return new FormBodyError(
        `Malformed percent escape "${shown}" in parameter "${name}": expected "%" and two hexadecimal digits`,
        parameter,
        offset + index,
      );
    }
  }
  for (const run of encoded.matchAll(ESCAPE_RUN)) {
    try {
      decodeURIComponent(run[0]);
    } catch {
      const shown = run[0].length > 24 ? `${run[0].slice(0, 24)}…` : run[0];
      return new FormBodyError(
        `Invalid UTF-8 in parameter "${name}": the escaped bytes "${shown}" are not UTF-8 text`,
        parameter,
        offset + run.index,
      );
    }
  }
  return new FormBodyError(
    `Malformed parameter "${name}": it cannot be decoded`,
    parameter,
    offset,
  );
}

function decodeComponent(encoded: string, parameter: string | undefined, offset: number): string {
  const spaced = encoded.includes("+") ? encoded.replaceAll("+", " ") : encoded;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    throw describeMalformed(encoded, parameter ?? encoded, offset);
  }
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The decoder of a declared charset other than UTF-8 (`undefined` for UTF-8 or none): the
 * platform's `TextDecoder` knows the Encoding Standard's labels, so no table is written here.
 */
function charsetDecoder(charset: string | undefined): TextDecoder | undefined {
  if (charset === undefined) return undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset.trim(), { fatal: true });
  } catch {
    throw new RangeError(`Unknown charset "${charset}"`);
  }
  return decoder.encoding === "utf-8" ? undefined : decoder;
}

/** Decodes one name or value whose escapes are bytes of a charset other than UTF-8. */
function decodeCharsetComponent(
  encoded: string,
  parameter: string | undefined,
  offset: number,
  decoder: TextDecoder,
): string {
  const spaced = encoded.includes("+") ? encoded.replaceAll("+", " ") : encoded;
  if (!spaced.includes("%")) return spaced;
  if (/%(?![0-9A-Fa-f]{2})/.test(spaced))
    throw describeMalformed(encoded, parameter ?? encoded, offset);
  return spaced.replace(ESCAPE_RUN, (run: string, index: number) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let byte = 0; byte < bytes.length; byte++)
      bytes[byte] = Number.parseInt(run.slice(byte * 3 + 1, byte * 3 + 3), 16);
    try {
      return decoder.decode(bytes);
    } catch {
      const name = parameter ?? encoded;
      const shown = run.length > 24 ? `${run.slice(0, 24)}…` : run;
      throw new FormBodyError(
        `Invalid ${decoder.encoding} in parameter "${name.length > 100 ? `${name.slice(0, 100)}…` : name}": the escaped bytes "${shown}" are not ${decoder.encoding} text`,
        name,
        offset + index,
      );
    }
  });
}

/**
 * Decodes an `application/x-www-form-urlencoded` body into its parameters, in order. Accepts `+`
 * and `%20` for space, upper- and lower-case hex, CR LF or LF line breaks in values (kept as they
 * are), a parameter without `=` (empty value); skips empty pairs (`&&`). Refuses what a lenient
 * decoder would silently change.
 *
 * @param body The body, as text or as its bytes (UTF-8, or `options.charset`).
 * @param options `charset`: the `charset` parameter of the request's content type, when it has
 *   one; escapes (and a byte body) are read in it (`ISO-8859-1`, `windows-1252`, … — any label
 *   the platform's `TextDecoder` knows). UTF-8 when absent.
 * @returns The parameters, a name repeated for each of its values.
 * @throws {FormBodyError} When a `%` is not followed by two hex digits, or escaped bytes are not
 *   text in the charset; the error names the parameter.
 * @throws {RangeError} When `options.charset` names no charset the platform knows.
 *
 * @example The seed's export request
 * ```ts
 * import { decodeFormBody } from "@ctct-bulk/core";
 * const body = "activityType=EXPORT_CONTACTS&columns=EMAIL%20ADDRESS&columns=FIRST+NAME";
 * decodeFormBody(body); // [["activityType", "EXPORT_CONTACTS"], ["columns", "EMAIL ADDRESS"], ["columns", "FIRST NAME"]]
 * ```
 */
export function decodeFormBody(
  body: string | Uint8Array,
  options: { charset?: string | undefined } = {},
): FormParams {
  const decoder = charsetDecoder(options.charset);
  const text = typeof body === "string" ? body : decodeBodyBytes(body, decoder);
  const decode = (encoded: string, parameter: string | undefined, offset: number): string =>
    decoder === undefined
      ? decodeComponent(encoded, parameter, offset)
      : decodeCharsetComponent(encoded, parameter, offset, decoder);
  const params: [string, string][] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("&", start);
    if (end < 0) end = text.length;
    if (end > start) {
      const equals = text.indexOf("=", start);
      const hasValue = equals >= 0 && equals < end;
      const rawName = text.slice(start, hasValue ? equals : end);
      const name = decode(rawName, undefined, start);
      const value = hasValue ? decode(text.slice(equals + 1, end), name, equals + 1) : "";
      params.push([name, value]);
    }
    start = end + 1;
  }
  return params;
}

function decodeBodyBytes(body: Uint8Array, decoder: TextDecoder = utf8Decoder): string {
  try {
    return decoder.decode(body);
  } catch {
    throw new FormBodyError(
      `Invalid form body: it is not ${decoder === utf8Decoder ? "UTF-8" : decoder.encoding} text`,
      "",
      0,
    );
  }
}
