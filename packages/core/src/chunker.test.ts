import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activityRequestParams } from "./activity-request.ts";
import {
  type ChunkOptions,
  type ContactChunk,
  chunkContactRows,
  createChunkStream,
  DEFAULT_MAX_ENCODED_BYTES,
  encodeChunkBody,
} from "./chunker.ts";
import {
  type ContactHeader,
  type ContactRow,
  type ContactTable,
  formatContactLine,
  openContactFile,
} from "./contact-file.ts";
import { encodeFormBody, encodeFormComponent, formEncodedLength } from "./form-urlencoded.ts";
import { RowTooLargeError } from "./row-too-large-error.ts";

const ascii = new TextDecoder("latin1");
const LIST_2 = "http://api.constantcontact.com/ws/customers/joesflowers/lists/2";
const HEADER_NAMES = ["EMAIL ADDRESS", "FIRST NAME", "CITY"];

async function collect(table: ContactTable, options?: ChunkOptions): Promise<ContactChunk[]> {
  const chunks: ContactChunk[] = [];
  for await (const chunk of chunkContactRows(table, options)) chunks.push(chunk);
  return chunks;
}

async function readRows(text: string): Promise<ContactRow[]> {
  const rows: ContactRow[] = [];
  for await (const row of (await openContactFile(text)).rows) rows.push(row);
  return rows;
}

/** A contact file's text made of these rows, with blank lines where asked (to shift lines). */
function csvText(
  rows: readonly (readonly string[])[],
  blankBefore: readonly boolean[] = [],
): string {
  let text = formatContactLine(HEADER_NAMES);
  rows.forEach((fields, index) => {
    if (blankBefore[index]) text += "\n";
    text += `\n${formatContactLine(fields)}`;
  });
  return `${text}\n`;
}

/** A stream of the rows (`ReadableStream.from` is not in the DOM types yet). */
function streamOf<T>(items: AsyncIterable<T>): ReadableStream<T> {
  const iterator = items[Symbol.asyncIterator]();
  return new ReadableStream<T>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}

async function drain<T>(stream: ReadableStream<T>): Promise<T[]> {
  const reader = stream.getReader();
  const items: T[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read())
    items.push(next.value);
  return items;
}

function countLines(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

const fieldText = fc.string({
  unit: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(..."abcxyz019@. ") },
    { weight: 1, arbitrary: fc.constantFrom(",", '"', "\n", "\r\n", "é", "😀", "+", "%", "&") },
  ),
  maxLength: 12,
});
const rowFields = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,8}@[a-z]{1,5}\.com$/), fieldText, fieldText)
  .map((fields) => fields.map((field) => field.trim()));

/** Any field text, with what makes the line writer quote made frequent. */
const anyField = fc.string({
  unit: fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.constantFrom(",", "\t", '"', "\r", "\n", " ", "\u00a0", "\u2028", "\ufeff", "é", "😀"),
  ),
  maxLength: 8,
});

/** Checks everything a chunking must hold, against the rows read from the source. */
async function checkChunks(
  chunks: ContactChunk[],
  sourceRows: ContactRow[],
  max: number,
): Promise<void> {
  const headerLine = formatContactLine(HEADER_NAMES);
  const seen: { fields: string[]; line: number }[] = [];
  expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, index) => index));
  for (const chunk of chunks) {
    expect(chunk.encodedBytes).toBeLessThanOrEqual(max);
    expect(ascii.decode(chunk.encodedData)).toBe(encodeFormComponent(chunk.text));
    expect(chunk.encodedBytes).toBe(chunk.encodedData.length);
    expect(chunk.text.startsWith(`${headerLine}\n`)).toBe(true);
    expect(chunk.lineMap[0]).toBe(1);
    expect(chunk.lineMap).toHaveLength(countLines(chunk.text));
    const rows = await readRows(chunk.text);
    expect(rows).toHaveLength(chunk.rowCount);
    // A row's continuation lines (line breaks inside quotes) follow its first line one by one.
    rows.forEach((row, index) => {
      const next = rows[index + 1]?.line ?? chunk.lineMap.length + 1;
      for (let line = row.line; line < next; line++)
        expect(chunk.lineMap[line - 1]).toBe(chunk.lineMap[row.line - 1]! + line - row.line);
    });
    for (const row of rows) seen.push({ fields: row.fields, line: chunk.lineMap[row.line - 1]! });
  }
  expect(seen).toEqual(sourceRows.map((row) => ({ fields: row.fields, line: row.line })));
}

describe("chunkContactRows()", () => {
  it("gives the seed's three contacts as one chunk with its own header and line map", async () => {
    const table = await openContactFile(
      "EMAIL ADDRESS,FIRST NAME,LAST NAME\nwstest3@example.com, Fred, Test\n" +
        "wstest4@example.com, Joan, Test\nwstest5@example.com, Ann, Test\n",
    );
    const [chunk, ...rest] = await collect(table);
    expect(rest).toEqual([]);
    expect(chunk).toMatchObject({
      index: 0,
      text:
        "EMAIL ADDRESS,FIRST NAME,LAST NAME\nwstest3@example.com,Fred,Test\n" +
        "wstest4@example.com,Joan,Test\nwstest5@example.com,Ann,Test",
      rowCount: 3,
      lineMap: [1, 2, 3, 4],
    });
    expect(chunk!.encodedBytes).toBe(formEncodedLength(chunk!.text));
  });

  it("keeps every chunk under the limit, never splits a row and maps every line back, for any rows and limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowFields, { maxLength: 60 }),
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.integer({ min: 60, max: 1500 }),
        async (rows, blanks, max) => {
          const text = csvText(rows, blanks);
          const sourceRows = await readRows(text);
          const headerSize = formEncodedLength(formatContactLine(HEADER_NAMES));
          const biggest = sourceRows.find(
            (row) => headerSize + 3 + formEncodedLength(formatContactLine(row.fields)) > max,
          );
          const options = { maxEncodedBytes: max, minRowsPerChunk: 3 };
          if (biggest) {
            const error = await collect(await openContactFile(text), options).catch(
              (caught: unknown) => caught,
            );
            expect(RowTooLargeError.isInstance(error)).toBe(true);
            expect((error as RowTooLargeError).line).toBe(biggest.line);
            return;
          }
          const chunks = await collect(await openContactFile(text), options);
          await checkChunks(chunks, sourceRows, max);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("leaves no chunk with fewer than the minimum rows when the limit allows it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowFields, { minLength: 5, maxLength: 120 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 2000 }),
        async (rows, minRows, extra) => {
          const text = csvText(rows);
          const sourceRows = await readRows(text);
          const header = formEncodedLength(formatContactLine(HEADER_NAMES));
          const sizes = sourceRows.map(
            (row) => 3 + formEncodedLength(formatContactLine(row.fields)),
          );
          // Room for twice the minimum of the largest rows: then the tail can always borrow.
          const largest = [...sizes].sort((a, b) => b - a).slice(0, 2 * minRows);
          const max = header + largest.reduce((sum, size) => sum + size, 0) + extra;
          const chunks = await collect(await openContactFile(text), {
            maxEncodedBytes: max,
            minRowsPerChunk: minRows,
          });
          await checkChunks(chunks, sourceRows, max);
          if (sourceRows.length >= minRows)
            for (const chunk of chunks) expect(chunk.rowCount).toBeGreaterThanOrEqual(minRows);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("gives the same bytes whether the chunk buffer starts small and grows or not", async () => {
    // 4,000 rows of ~60 encoded bytes: past the first buffer's 64 KB, under one chunk's limit,
    // then the same rows under a limit that makes several chunks, each buffer grown first.
    const rows = Array.from({ length: 4000 }, (_, index) => [
      `user.${index}@example.com`,
      index % 9 === 0 ? 'Joe "JJ", Jr' : `Name ${index}`,
      index % 13 === 0 ? "two\nlines" : "Boston",
    ]);
    const text = csvText(rows);
    const expected = text.slice(0, -1);
    const [single, ...none] = await collect(await openContactFile(text));
    expect(none).toEqual([]);
    expect(single!.text).toBe(expected);
    expect(ascii.decode(single!.encodedData)).toBe(encodeFormComponent(expected));
    const chunks = await collect(await openContactFile(text), { maxEncodedBytes: 70_000 });
    expect(chunks.length).toBeGreaterThan(2);
    await checkChunks(chunks, await readRows(text), 70_000);
  });

  it("writes each row exactly as formatContactLine() does, for any fields and either delimiter", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(anyField, { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom(",", "\t") as fc.Arbitrary<"," | "\t">,
        fc.integer({ min: 400, max: 4000 }),
        async (rows, delimiter, max) => {
          const header: ContactHeader = {
            names: ["EMAIL ADDRESS", "NOTE"],
            columns: ["EMAIL ADDRESS", undefined],
            delimiter,
            line: 1,
          };
          let line = 2;
          const contactRows = rows.map((fields) => {
            const row = { line, fields };
            line += countLines(formatContactLine(fields, delimiter));
            return row;
          });
          async function* source(): AsyncGenerator<ContactRow> {
            yield* contactRows;
          }
          const chunks = await collect(
            { header, rows: source() },
            { maxEncodedBytes: max, minRowsPerChunk: 1 },
          ).catch((error: unknown) => {
            if (RowTooLargeError.isInstance(error)) return undefined;
            throw error;
          });
          if (chunks === undefined) return true;
          // Plain comparisons: a property run per expect() call would cost seconds here.
          const headerLine = formatContactLine(header.names, delimiter);
          const written = chunks.map((chunk) => chunk.text.slice(headerLine.length + 1));
          const expected = contactRows.map((row) => formatContactLine(row.fields, delimiter));
          return (
            written.join("\n") === expected.join("\n") &&
            chunks.every(
              (chunk) =>
                ascii.decode(chunk.encodedData) === encodeFormComponent(chunk.text) &&
                chunk.lineMap.length === countLines(chunk.text),
            )
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives identical chunks whether the table offers batches or only rows, for any rows, pieces and batch sizes", async () => {
    /** Everything a chunk carries, with its bytes as text so that a mismatch is readable. */
    const plain = (chunks: ContactChunk[]) =>
      chunks.map((chunk) => ({ ...chunk, encodedData: ascii.decode(chunk.encodedData) }));
    /** The chunks, or the error's line when a row is too large. */
    const outcome = (table: ContactTable, options: ChunkOptions) =>
      collect(table, options).then(plain, (error: unknown) => {
        if (RowTooLargeError.isInstance(error)) return { tooLarge: error.line };
        throw error;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowFields, { maxLength: 80 }),
        fc.array(fc.boolean(), { maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 60, max: 1500 }),
        fc.integer({ min: 1, max: 30 }),
        async (rows, blanks, cuts, batchSizes, max, minRows) => {
          const text = csvText(rows, blanks);
          const pieces = [...new Set(cuts.map((point) => point % (text.length + 1)))]
            .sort((a, b) => a - b)
            .concat(text.length)
            .map((point, index, points) => text.slice(points[index - 1] ?? 0, point));
          const options = { maxEncodedBytes: max, minRowsPerChunk: minRows };
          const opened = await openContactFile(pieces);
          expect(opened.batches).toBeDefined();
          const fromReaderBatches = await outcome(opened, options);
          const rowsOnly = await openContactFile(text);
          const fromRows = await outcome({ header: rowsOnly.header, rows: rowsOnly.rows }, options);
          // Hand-made batches of any sizes, as another producer of tables might cut them.
          const sourceRows = await readRows(text);
          async function* handBatches(): AsyncGenerator<readonly ContactRow[]> {
            for (let start = 0, turn = 0; start < sourceRows.length; turn++) {
              const size = batchSizes[turn % batchSizes.length]!;
              yield sourceRows.slice(start, start + size);
              start += size;
            }
          }
          const noRows: AsyncIterable<ContactRow> = {
            [Symbol.asyncIterator]() {
              throw new Error("The rows were read although the table has batches");
            },
          };
          const fromHandBatches = await outcome(
            { header: rowsOnly.header, rows: noRows, batches: handBatches() },
            options,
          );
          expect(fromReaderBatches).toEqual(fromRows);
          expect(fromHandBatches).toEqual(fromRows);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("applies the 25-row minimum by default, borrowing from the chunk before the last", async () => {
    const rows = Array.from({ length: 130 }, (_, index) => [
      `user${String(index).padStart(3, "0")}@example.com`,
      "Ann",
      "X",
    ]);
    const text = csvText(rows);
    const rowSize = 3 + formEncodedLength(formatContactLine(rows[0]!));
    const header = formEncodedLength(formatContactLine(HEADER_NAMES));
    // 60 rows fit: chunks of 60, 60 and 10 before rebalancing.
    const chunks = await collect(await openContactFile(text), {
      maxEncodedBytes: header + 60 * rowSize + 5,
    });
    expect(chunks.map((chunk) => chunk.rowCount)).toEqual([60, 45, 25]);
    await checkChunks(chunks, await readRows(text), header + 60 * rowSize + 5);
  });

  it("keeps a small file whole even under the minimum", async () => {
    const chunks = await collect(await openContactFile(csvText([["a@b.com", "A", "B"]])));
    expect(chunks.map((chunk) => chunk.rowCount)).toEqual([1]);
  });

  it("gives no chunk for a file without rows", async () => {
    expect(await collect(await openContactFile("EMAIL ADDRESS\n"))).toEqual([]);
  });

  it("names the line of a row too large for any chunk", async () => {
    const text = csvText([
      ["a@example.com", "A", "B"],
      ["b@example.com", "x".repeat(200), "B"],
    ]);
    const error = await collect(await openContactFile(text), { maxEncodedBytes: 150 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ name: "RowTooLargeError", line: 3, maxEncodedBytes: 150 });
    expect((error as Error).message).toMatch(
      /^Row at line 3 is too large for one request: \d+ bytes once form-encoded with the header, over the limit of 150$/,
    );
  });

  it("refuses a header too large for any chunk and options that are not positive", async () => {
    const table = await openContactFile(csvText([["a@example.com", "A", "B"]]));
    await expect(collect(table, { maxEncodedBytes: 10 })).rejects.toMatchObject({
      name: "RowTooLargeError",
      line: 1,
    });
    await expect(
      collect(await openContactFile("EMAIL ADDRESS\n"), { minRowsPerChunk: 0 }),
    ).rejects.toThrow('Invalid minRowsPerChunk "0": expected a positive whole number');
    expect(DEFAULT_MAX_ENCODED_BYTES).toBe(1_900_000);
  });

  it("reads rows only as chunks are taken (at most two chunks ahead)", async () => {
    let pulled = 0;
    const header: ContactHeader = {
      names: ["EMAIL ADDRESS"],
      columns: ["EMAIL ADDRESS"],
      delimiter: ",",
      line: 1,
    };
    async function* endless(): AsyncGenerator<ContactRow> {
      for (let line = 2; ; line++) {
        pulled++;
        yield { line, fields: [`user${line}@example.com`] };
      }
    }
    const rowSize = 3 + formEncodedLength("user1000@example.com");
    const perChunk = 100;
    const max = formEncodedLength("EMAIL ADDRESS") + perChunk * rowSize;
    const chunks: ContactChunk[] = [];
    for await (const chunk of chunkContactRows(
      { header, rows: endless() },
      { maxEncodedBytes: max },
    )) {
      chunks.push(chunk);
      if (chunks.length === 3) break;
    }
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1, 2]);
    expect(pulled).toBeLessThanOrEqual(5 * perChunk);
  });
});

describe("chunkContactRows() with a signal", () => {
  it("stops at the next row once the signal is aborted, with its reason", async () => {
    const controller = new AbortController();
    const header: ContactHeader = {
      names: ["EMAIL ADDRESS"],
      columns: ["EMAIL ADDRESS"],
      delimiter: ",",
      line: 1,
    };
    let pulled = 0;
    async function* rows(): AsyncGenerator<ContactRow> {
      for (let line = 2; ; line++) {
        pulled++;
        if (line === 10) controller.abort(new Error("Stopped by the user"));
        yield { line, fields: [`user${line}@example.com`] };
      }
    }
    await expect(collect({ header, rows: rows() }, { signal: controller.signal })).rejects.toThrow(
      "Stopped by the user",
    );
    expect(pulled).toBe(9);
  });
});

describe("createChunkStream()", () => {
  it("gives the same chunks as chunkContactRows()", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowFields, { maxLength: 80 }),
        fc.integer({ min: 300, max: 3000 }),
        async (rows, max) => {
          const text = csvText(rows);
          const options = { maxEncodedBytes: max, minRowsPerChunk: 4 };
          const expected = await collect(await openContactFile(text), options);
          const table = await openContactFile(text);
          const stream = streamOf(table.rows).pipeThrough(createChunkStream(table.header, options));
          expect(await drain(stream)).toEqual(expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("errors the stream with the row too large", async () => {
    const table = await openContactFile(csvText([["a@example.com", "x".repeat(300), "B"]]));
    const stream = streamOf(table.rows).pipeThrough(
      createChunkStream(table.header, { maxEncodedBytes: 200 }),
    );
    await expect(stream.getReader().read()).rejects.toMatchObject({ line: 2 });
  });
});

describe("encodeChunkBody()", () => {
  it("gives the same bytes as encoding the request with the chunk's text", async () => {
    const table = await openContactFile(csvText([["a@example.com", "Fred, Jr", "Montréal"]]));
    const [chunk] = await collect(table);
    const request = { kind: "add", activityType: "SV_ADD", lists: [LIST_2] } as const;
    expect(new TextDecoder().decode(encodeChunkBody(chunk!, request))).toBe(
      encodeFormBody(activityRequestParams({ ...request, data: chunk!.text })),
    );
    expect(
      new TextDecoder().decode(encodeChunkBody(chunk!, { kind: "remove", lists: [LIST_2] })),
    ).toMatch(/^activityType=REMOVE_CONTACTS_FROM_LISTS&data=EMAIL\+ADDRESS%2CFIRST\+NAME/);
  });
});
