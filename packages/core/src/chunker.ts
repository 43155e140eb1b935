/**
 * Splitting a contact file into requests the API takes: each chunk's `data`, once form-encoded as
 * it travels, stays under a byte limit (1,900,000 by default, SPEC §2.1); rows are never split;
 * every chunk starts with the header line; every chunk maps its lines back to the source file's.
 * Memory stays bounded by two chunks, whatever the size of the input.
 *
 * Each row is written as `formatContactLine` formats it, form-encoded in one scan of its fields
 * straight into the chunk's byte buffer (no line string), so the chunk carries its encoded `data`
 * (`encodedData`) and the transport never encodes it again ({@linkcode encodeChunkBody}). A
 * finished chunk keeps the buffer it was written in; the next starts in a fresh one (ADR 0080), or
 * in one the consumer gave back through a `ChunkBufferPool` (ADR 0100).
 *
 * @module
 */
import type { AddRequestType } from "./activity-request.ts";
import { activityRequestParams } from "./activity-request.ts";
import type { ChunkBufferPool } from "./chunk-buffers.ts";
import {
  type ContactHeader,
  type ContactRow,
  type ContactTable,
  formatContactLine,
} from "./contact-file.ts";
import {
  encodeFormBodyBytes,
  type FormBodyPart,
  formEncodedLength,
  type LineBreakCount,
  maxFormEncodedLineLength,
  writeFormEncoded,
  writeFormEncodedContactLine,
} from "./form-urlencoded.ts";
import { RowTooLargeError } from "./row-too-large-error.ts";
import { SMALL_BATCH_THRESHOLD } from "./validation.ts";

/** The API's limit on a request's encoded `data`: 1.9 MB (SPEC §2.1, §4). */
export const DEFAULT_MAX_ENCODED_BYTES = 1_900_000;

/** One request's worth of contacts. */
export interface ContactChunk {
  /** The chunk's position, from 0. */
  index: number;
  /** The chunk's contact file: the header line, then its rows, joined by LF. */
  text: string;
  /** The size of `text` once form-encoded (the `data` value as it travels). */
  encodedBytes: number;
  /**
   * `text` form-encoded: the `data` value's bytes, ready for {@linkcode encodeChunkBody}. A view
   * of the buffer the chunk was written in, which may be larger (read the view, not its `buffer`).
   */
  encodedData: Uint8Array;
  /** How many contact rows the chunk holds (the header not counted). */
  rowCount: number;
  /**
   * The source line of each chunk line: `lineMap[i]` is the source line of the chunk's line
   * `i + 1`, so `lineMap[0] === 1` (the header). A row with line breaks inside quotes spans as
   * many chunk lines as source lines, so any line number the server reports maps back.
   */
  lineMap: number[];
}

/** Options of {@linkcode chunkContactRows} and {@linkcode createChunkStream}. */
export interface ChunkOptions {
  /** The most bytes a chunk's form-encoded `data` may take (default 1,900,000). */
  maxEncodedBytes?: number;
  /**
   * The fewest rows a chunk may hold when the file has at least that many (default 25, the
   * API's small-batch threshold): the last chunk borrows rows from the one before it.
   */
  minRowsPerChunk?: number;
  /** Stops the chunking: the next row read throws the signal's reason. */
  signal?: AbortSignal;
  /**
   * Buffers the consumer gives back (`buffers.release(chunk)`) once done with a chunk: later
   * chunks are written into them instead of new ones (ADR 0100). Without it each chunk has a
   * buffer of its own.
   */
  buffers?: ChunkBufferPool;
}

const asciiDecoder = new TextDecoder("latin1");

/**
 * A chunk whose encoded bytes are the truth: its `text` is decoded from them when first read (an
 * own, enumerable property, so spreading or comparing a chunk sees it), and the rows' formatted
 * lines die young instead of being kept for a join.
 */
function encodedChunk(
  index: number,
  encodedData: Uint8Array,
  rowCount: number,
  lineMap: number[],
): ContactChunk {
  let text: string | undefined;
  const chunk = { index, encodedBytes: encodedData.length, encodedData, rowCount, lineMap };
  return Object.defineProperty(chunk, "text", {
    enumerable: true,
    get(): string {
      text ??= decodeURIComponent(asciiDecoder.decode(encodedData).replaceAll("+", " "));
      return text;
    },
  }) as ContactChunk;
}

/** A chunk that is complete but kept until the next one is, to rebalance the tail. */
interface BuiltChunk {
  /** A view of the chunk's line map, made a `number[]` only when the chunk is emitted. */
  lineMap: Float64Array;
  /** For each row, where its bytes end in `bytes` (each row's bytes start with `%0A`). */
  rowEnds: Int32Array;
  /** For each row, where its entries end in `lineMap`. */
  rowLineEnds: Int32Array;
  bytes: Uint8Array;
}

/** Spare room past the limit so that most rows are written without being measured first. */
const MAX_SLACK = 64 * 1024;
/** The first chunk buffer's size: enough for a small file, grown for a larger one. */
const INITIAL_BUFFER_BYTES = 64 * 1024;

const LINE_BREAK = /[\r\n]/;

function physicalLines(line: string): number {
  if (!LINE_BREAK.test(line)) return 1;
  let count = 1;
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code === 0x0a) count++;
    else if (code === 0x0d) {
      count++;
      if (line.charCodeAt(index + 1) === 0x0a) index++;
    }
  }
  return count;
}

function checkOptions(options: ChunkOptions): { max: number; minRows: number } {
  const max = options.maxEncodedBytes ?? DEFAULT_MAX_ENCODED_BYTES;
  const minRows = options.minRowsPerChunk ?? SMALL_BATCH_THRESHOLD;
  if (!Number.isSafeInteger(max) || max < 1)
    throw new RangeError(`Invalid maxEncodedBytes "${max}": expected a positive whole number`);
  if (!Number.isSafeInteger(minRows) || minRows < 1)
    throw new RangeError(`Invalid minRowsPerChunk "${minRows}": expected a positive whole number`);
  return { max, minRows };
}

/**
 * The chunking engine shared by the async iterable and the stream: rows in, chunks out, at most
 * the chunk being filled and one finished chunk held back.
 */
class ChunkBuilder {
  readonly #max: number;
  readonly #minRows: number;
  readonly #delimiter: ContactHeader["delimiter"];
  readonly #headerLine: string;
  readonly #headerBytes: Uint8Array;
  readonly #headerLineMap: number[];
  #buffer: Uint8Array;
  /** The size of a chunk buffer once grown: the limit and room for a row past it. */
  readonly #fullSize: number;
  #position = 0;
  /**
   * The line map of the chunk being filled, in a typed array kept from chunk to chunk (swapped
   * with the held chunk's, like the row arrays) and `#lineCount` long: a `number[]` grown per
   * chunk is 200-500 KB of large elements that every young collection during the chunk finds
   * alive and promotes, which is what grows V8's young generation (ADR 0125).
   */
  #lineMap = new Float64Array(1024);
  #lineCount = 0;
  #spareLineMap = new Float64Array(1024);
  /**
   * Per row of the chunk being filled: where its bytes and its line map entries end. Typed arrays
   * kept from chunk to chunk (this pair and the held chunk's), not arrays grown per chunk: fewer
   * objects that survive young collections (ADR 0080).
   */
  #rowEnds = new Int32Array(1024);
  #rowLineEnds = new Int32Array(1024);
  #rows = 0;
  #spareRowEnds = new Int32Array(1024);
  #spareRowLineEnds = new Int32Array(1024);
  #held: BuiltChunk | undefined;
  #totalRows = 0;
  /** The line breaks inside quotes of the row last written. */
  readonly #lines: LineBreakCount = { breaks: 0 };
  readonly #delimiterCode: number;
  #nextIndex = 0;
  readonly #pool: ChunkBufferPool | undefined;

  constructor(header: ContactHeader, options: ChunkOptions) {
    const { max, minRows } = checkOptions(options);
    this.#max = max;
    this.#minRows = minRows;
    this.#delimiter = header.delimiter;
    this.#delimiterCode = header.delimiter.charCodeAt(0);
    this.#headerLine = formatContactLine(header.names, header.delimiter);
    const headerSize = formEncodedLength(this.#headerLine);
    if (headerSize > max) throw new RowTooLargeError(1, headerSize, max);
    this.#headerBytes = new Uint8Array(headerSize);
    writeFormEncoded(this.#headerLine, this.#headerBytes, 0);
    const headerLines = physicalLines(this.#headerLine);
    this.#headerLineMap = Array.from({ length: headerLines }, (_, index) => 1 + index);
    this.#fullSize = max + Math.min(MAX_SLACK, max);
    this.#pool = options.buffers;
    // A small file never needs the full buffer: the first one starts small and grows (ADR 0080).
    this.#buffer = new Uint8Array(Math.min(this.#fullSize, INITIAL_BUFFER_BYTES));
    this.#startChunk();
  }

  #startChunk(): void {
    this.#buffer.set(this.#headerBytes, 0);
    this.#position = this.#headerBytes.length;
    this.#lineCount = 0;
    if (this.#headerLineMap.length > this.#lineMap.length)
      this.#growLines(this.#headerLineMap.length);
    this.#lineMap.set(this.#headerLineMap, 0);
    this.#lineCount = this.#headerLineMap.length;
    this.#rows = 0;
  }

  /** Adds a row; returns the chunk that became ready to emit, if any. */
  push(row: ContactRow): ContactChunk | undefined {
    const fields = row.fields;
    let ready: ContactChunk | undefined;
    let start = this.#position;
    let end: number;
    let units = 0;
    for (let index = 0; index < fields.length; index++) units += fields[index]!.length;
    const lines = this.#lines;
    lines.breaks = 0;
    const bound = start + 3 + maxFormEncodedLineLength(fields.length, units);
    if (bound > this.#buffer.length && this.#buffer.length < this.#fullSize) this.#grow(bound);
    if (bound <= this.#buffer.length) {
      end = this.#writeRow(fields, start);
      if (end > this.#max) {
        const length = end - start;
        const alone = this.#headerBytes.length + length;
        if (this.#rows === 0 || alone > this.#max)
          throw new RowTooLargeError(row.line, alone, this.#max);
        // The row goes to the next chunk: the full buffer is handed over with the chunk (no
        // copy), and the row's bytes move to the fresh buffer after the header.
        const full = this.#buffer;
        ready = this.#closeChunk(start);
        this.#buffer.set(full.subarray(start, end), this.#position);
        start = this.#position;
        end = start + length;
      }
    } else {
      // A long row near the end of the buffer: format and measure it before writing.
      const line = formatContactLine(fields, this.#delimiter);
      const size = this.#headerBytes.length + 3 + formEncodedLength(line);
      if (size > this.#max) throw new RowTooLargeError(row.line, size, this.#max);
      if (start + size - this.#headerBytes.length > this.#max) {
        ready = this.#closeChunk(start);
        start = this.#position;
      }
      lines.breaks = physicalLines(line) - 1;
      end = this.#writeLine(line, start);
    }
    this.#position = end;
    let lineCount = this.#lineCount;
    if (lineCount + 1 + lines.breaks > this.#lineMap.length)
      this.#growLines(lineCount + 1 + lines.breaks);
    const lineMap = this.#lineMap;
    lineMap[lineCount++] = row.line;
    for (let offset = 1; offset <= lines.breaks; offset++) lineMap[lineCount++] = row.line + offset;
    this.#lineCount = lineCount;
    if (this.#rows === this.#rowEnds.length) this.#growRows();
    this.#rowEnds[this.#rows] = end;
    this.#rowLineEnds[this.#rows] = lineCount;
    this.#rows++;
    this.#totalRows++;
    return ready;
  }

  /** Grows the first chunk's buffer towards the full size, keeping what it holds. */
  #grow(needed: number): void {
    const size = Math.min(this.#fullSize, Math.max(needed, 4 * this.#buffer.length));
    const buffer = new Uint8Array(size);
    buffer.set(this.#buffer.subarray(0, this.#position));
    this.#buffer = buffer;
  }

  #growLines(needed: number): void {
    const lineMap = new Float64Array(Math.max(needed, 2 * this.#lineMap.length));
    lineMap.set(this.#lineMap.subarray(0, this.#lineCount));
    this.#lineMap = lineMap;
  }

  #growRows(): void {
    const rowEnds = new Int32Array(2 * this.#rowEnds.length);
    rowEnds.set(this.#rowEnds);
    this.#rowEnds = rowEnds;
    const rowLineEnds = new Int32Array(2 * this.#rowLineEnds.length);
    rowLineEnds.set(this.#rowLineEnds);
    this.#rowLineEnds = rowLineEnds;
  }

  #writeLine(line: string, start: number): number {
    const buffer = this.#buffer;
    buffer[start] = 0x25; // "%0A" before each row
    buffer[start + 1] = 0x30;
    buffer[start + 2] = 0x41;
    return writeFormEncoded(line, buffer, start + 3);
  }

  /**
   * Writes a row as `formatContactLine(fields)` would write it, encoded, without building the
   * line; counts the line breaks inside quotes into `#lines`.
   */
  #writeRow(fields: readonly string[], start: number): number {
    const buffer = this.#buffer;
    buffer[start] = 0x25; // "%0A" before each row
    buffer[start + 1] = 0x30;
    buffer[start + 2] = 0x41;
    return writeFormEncodedContactLine(fields, this.#delimiterCode, buffer, start + 3, this.#lines);
  }

  /**
   * Finishes the chunk being filled up to `end`, handing its buffer over as it is and starting
   * the next chunk in a fresh one; emits the held chunk and holds this one.
   */
  #closeChunk(end: number): ContactChunk | undefined {
    const built: BuiltChunk = {
      lineMap: this.#lineMap.subarray(0, this.#lineCount),
      rowEnds: this.#rowEnds.subarray(0, this.#rows),
      rowLineEnds: this.#rowLineEnds.subarray(0, this.#rows),
      bytes: this.#buffer.subarray(0, end),
    };
    const ready = this.#held ? this.#emit(this.#held) : undefined;
    this.#held = built;
    // The emitted chunk's row arrays are free again: the next chunk fills them.
    [this.#rowEnds, this.#spareRowEnds] = [this.#spareRowEnds, this.#rowEnds];
    [this.#lineMap, this.#spareLineMap] = [this.#spareLineMap, this.#lineMap];
    [this.#rowLineEnds, this.#spareRowLineEnds] = [this.#spareRowLineEnds, this.#rowLineEnds];
    // A buffer the consumer gave back, if any: the next chunk overwrites it from the start.
    this.#buffer = this.#pool?.take(this.#fullSize) ?? new Uint8Array(this.#fullSize);
    this.#startChunk();
    return ready;
  }

  /** Ends the input: the last chunks, the tail rebalanced so that none is too small. */
  finish(): ContactChunk[] {
    let last: BuiltChunk | undefined;
    if (this.#rows > 0) {
      last = {
        lineMap: this.#lineMap.subarray(0, this.#lineCount),
        rowEnds: this.#rowEnds.subarray(0, this.#rows),
        rowLineEnds: this.#rowLineEnds.subarray(0, this.#rows),
        bytes: this.#buffer.subarray(0, this.#position),
      };
    }
    const held = this.#held;
    this.#held = undefined;
    this.#buffer = new Uint8Array(0);
    this.#lineCount = 0;
    if (held && last && this.#totalRows >= this.#minRows && last.rowEnds.length < this.#minRows)
      return this.#rebalance(held, last).map((chunk) => this.#emit(chunk));
    return [held, last].filter((chunk) => chunk !== undefined).map((chunk) => this.#emit(chunk));
  }

  /**
   * Moves rows from the end of `held` to the start of `last` until `last` has the minimum, when
   * both can then keep it within the limit; otherwise leaves them (the limit wins over the
   * minimum).
   */
  #rebalance(held: BuiltChunk, last: BuiltChunk): BuiltChunk[] {
    const heldRows = held.rowEnds.length;
    const move = this.#minRows - last.rowEnds.length;
    const keep = heldRows - move;
    if (keep < this.#minRows) return [held, last];
    const cut = held.rowEnds[keep - 1]!;
    const headerSize = this.#headerBytes.length;
    const moved = held.bytes.subarray(cut);
    const lastRows = last.bytes.subarray(headerSize);
    const size = headerSize + moved.length + lastRows.length;
    if (size > this.#max) return [held, last];
    const bytes = new Uint8Array(size);
    bytes.set(this.#headerBytes, 0);
    bytes.set(moved, headerSize);
    bytes.set(lastRows, headerSize + moved.length);
    const lineCut = held.rowLineEnds[keep - 1]!;
    const movedLineCount = held.lineMap.length - lineCut;
    const lastHeaderLines = this.#headerLineMap.length;
    const newLast: BuiltChunk = {
      lineMap: Float64Array.from([
        ...this.#headerLineMap,
        ...held.lineMap.slice(lineCut),
        ...last.lineMap.slice(lastHeaderLines),
      ]),
      rowEnds: Int32Array.from([
        ...held.rowEnds.slice(keep).map((rowEnd) => rowEnd - cut + headerSize),
        ...last.rowEnds.map((rowEnd) => rowEnd + moved.length),
      ]),
      rowLineEnds: Int32Array.from([
        ...held.rowLineEnds.slice(keep).map((end) => end - lineCut + lastHeaderLines),
        ...last.rowLineEnds.map((end) => end + movedLineCount),
      ]),
      bytes,
    };
    const newHeld: BuiltChunk = {
      lineMap: held.lineMap.slice(0, lineCut),
      rowEnds: held.rowEnds.slice(0, keep),
      rowLineEnds: held.rowLineEnds.slice(0, keep),
      bytes: held.bytes.subarray(0, cut),
    };
    return [newHeld, newLast];
  }

  #emit(chunk: BuiltChunk): ContactChunk {
    // The one `number[]` of the line map, made at once at its exact size.
    const lineMap: number[] = new Array(chunk.lineMap.length);
    for (let index = 0; index < lineMap.length; index++) lineMap[index] = chunk.lineMap[index]!;
    return encodedChunk(this.#nextIndex++, chunk.bytes, chunk.rowEnds.length, lineMap);
  }
}

/**
 * Packs a contact file's rows into chunks, each one request's `data`: its form-encoded size at
 * most `maxEncodedBytes`, rows never split, each chunk starting with the header line, each with a
 * map from its lines to the source's. When the file has at least `minRowsPerChunk` rows (25), no
 * chunk has fewer, as long as the limit allows it. Holds at most two chunks in memory.
 *
 * @param table The opened contact file (`openContactFile`); its rows are read once, from
 *   `table.batches` when it has them (one await per array), else from `table.rows`.
 * @param options The byte limit, the minimum rows per chunk, and a signal to stop.
 * @returns The chunks, in order; none when the file has no rows.
 * @throws {RowTooLargeError} When one row with the header is over the limit (names its line).
 * @throws {RangeError} When an option is not a positive whole number.
 * @throws The signal's reason when it is aborted.
 *
 * @example Three rows under a small limit
 * ```ts
 * import { chunkContactRows, openContactFile } from "@ctct-bulk/core";
 * const table = await openContactFile("EMAIL ADDRESS\na@example.com\nb@example.com\nc@example.com\n");
 * const chunks = [];
 * for await (const chunk of chunkContactRows(table, { maxEncodedBytes: 60, minRowsPerChunk: 1 }))
 *   chunks.push(chunk);
 * chunks.map((chunk) => chunk.lineMap); // [[1, 2, 3], [1, 4]]
 * ```
 */
export async function* chunkContactRows(
  table: ContactTable,
  options: ChunkOptions = {},
): AsyncGenerator<ContactChunk, void, undefined> {
  const builder = new ChunkBuilder(table.header, options);
  const signal = options.signal;
  signal?.throwIfAborted();
  if (table.batches !== undefined) {
    // One await per array of rows, not per row: the rows themselves are pushed synchronously.
    for await (const batch of table.batches) {
      for (let index = 0; index < batch.length; index++) {
        signal?.throwIfAborted();
        const chunk = builder.push(batch[index]!);
        if (chunk !== undefined) yield chunk;
      }
    }
  } else {
    for await (const row of table.rows) {
      signal?.throwIfAborted();
      const chunk = builder.push(row);
      if (chunk !== undefined) yield chunk;
    }
  }
  for (const chunk of builder.finish()) yield chunk;
}

/**
 * The chunker as a `TransformStream` from rows to chunks, for pipelines
 * (`rows.pipeThrough(createChunkStream(header))`); the same rules as {@linkcode chunkContactRows}.
 *
 * @param header The contact file's header.
 * @param options The byte limit and the minimum rows per chunk.
 * @returns A stream that takes rows and gives chunks; it errors with a {@linkcode RowTooLargeError}
 *   on a row too large for any chunk.
 *
 * @example Piping rows through
 * ```ts
 * import { createChunkStream, openContactFile } from "@ctct-bulk/core";
 * const table = await openContactFile("EMAIL ADDRESS\na@example.com\n");
 * const rows = ReadableStream.from(table.rows);
 * const chunks = await Array.fromAsync(rows.pipeThrough(createChunkStream(table.header)));
 * chunks[0]?.text; // "EMAIL ADDRESS\na@example.com"
 * ```
 */
export function createChunkStream(
  header: ContactHeader,
  options: ChunkOptions = {},
): TransformStream<ContactRow, ContactChunk> {
  const builder = new ChunkBuilder(header, options);
  const signal = options.signal;
  return new TransformStream<ContactRow, ContactChunk>({
    transform(row, controller) {
      signal?.throwIfAborted();
      const chunk = builder.push(row);
      if (chunk !== undefined) controller.enqueue(chunk);
    },
    flush(controller) {
      for (const chunk of builder.finish()) controller.enqueue(chunk);
    },
  });
}

/** The request a chunk travels in: an add or a remove, without its contacts. */
export type ChunkRequest =
  | { kind: "add"; activityType: AddRequestType; lists: readonly string[] }
  | { kind: "remove"; lists: readonly string[] };

/**
 * Whether a row could travel in any request: measured as the chunker measures it (the header line
 * and the row, form-encoded, against the limit), so an offline check (the CLI's `validate`)
 * predicts the chunker's {@linkcode RowTooLargeError} without chunking. Only rows long enough to
 * be at risk are encoded (form-encoding writes at most 9 bytes per UTF-16 unit), so checking a big
 * file costs next to nothing.
 *
 * @param header The file's header (its names and delimiter).
 * @param row The row.
 * @param maxEncodedBytes The limit (default {@linkcode DEFAULT_MAX_ENCODED_BYTES}).
 * @returns The error the chunker would throw for this row, or `undefined` when it fits.
 * @example
 * ```ts
 * import { rowTooLarge } from "@ctct-bulk/core";
 * const header = { names: ["EMAIL ADDRESS"], columns: ["EMAIL ADDRESS"], delimiter: ",", line: 1 } as const;
 * rowTooLarge(header, { line: 2, fields: ["a@example.com"] }); // undefined
 * rowTooLarge(header, { line: 3, fields: ["x".repeat(50)] }, 40)?.line; // 3
 * ```
 */
export function rowTooLarge(
  header: Pick<ContactHeader, "names" | "delimiter">,
  row: ContactRow,
  maxEncodedBytes: number = DEFAULT_MAX_ENCODED_BYTES,
): RowTooLargeError | undefined {
  const headerBytes = formEncodedLength(`${formatContactLine(header.names, header.delimiter)}\n`);
  let units = row.fields.length;
  for (const field of row.fields) units += field.length;
  if (headerBytes + units * 9 <= maxEncodedBytes) return undefined;
  const bytes = headerBytes + formEncodedLength(formatContactLine(row.fields, header.delimiter));
  return bytes > maxEncodedBytes
    ? new RowTooLargeError(row.line, bytes, maxEncodedBytes)
    : undefined;
}

/**
 * A chunk's request as a form-urlencoded body, in the seed's order, using the chunk's
 * `encodedData` as it is (the data is never encoded twice).
 *
 * @param chunk A chunk from {@linkcode chunkContactRows}.
 * @param request The add or remove it belongs to.
 * @returns The body's bytes, to send as `application/x-www-form-urlencoded`.
 *
 * @example An add of one chunk
 * ```ts
 * import { chunkContactRows, encodeChunkBody, openContactFile } from "@ctct-bulk/core";
 * const table = await openContactFile("EMAIL ADDRESS\na@example.com\n");
 * for await (const chunk of chunkContactRows(table)) {
 *   const body = encodeChunkBody(chunk, {
 *     kind: "add", activityType: "SV_ADD",
 *     lists: ["http://api.constantcontact.com/ws/customers/joesflowers/lists/2"],
 *   });
 *   new TextDecoder().decode(body).startsWith("activityType=SV_ADD&data=EMAIL+ADDRESS%0Aa%40example.com&lists="); // true
 * }
 * ```
 */
export function encodeChunkBody(chunk: ContactChunk, request: ChunkRequest): Uint8Array {
  const params = activityRequestParams({ ...request, data: "" });
  const parts: FormBodyPart[] = params.map(([name, value]) =>
    name === "data" ? [name, { encoded: chunk.encodedData }] : [name, value],
  );
  return encodeFormBodyBytes(parts);
}
