import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONTACT_COLUMNS } from "./columns.ts";
import {
  type ContactDelimiter,
  ContactFileError,
  type ContactRow,
  type ContactSource,
  formatContactLine,
  type OpenContactFileOptions,
  openContactFile,
} from "./contact-file.ts";

type Outcome = { names: string[]; delimiter: string; rows: ContactRow[] } | { error: string };

/** Reads a whole source, turning a ContactFileError into a value (any other error escapes). */
async function readAll(source: ContactSource, options?: OpenContactFileOptions): Promise<Outcome> {
  try {
    const table = await openContactFile(source, options);
    const rows: ContactRow[] = [];
    for await (const row of table.rows) rows.push(row);
    return { names: table.header.names, delimiter: table.header.delimiter, rows };
  } catch (error) {
    if (error instanceof ContactFileError) return { error: error.message };
    throw error;
  }
}

/** Cuts a string or bytes at the given points. */
function cut<T extends string | Uint8Array>(whole: T, points: number[]): T[] {
  const sorted = [...new Set(points.map((point) => point % (whole.length + 1)))].sort(
    (a, b) => a - b,
  );
  const pieces: T[] = [];
  let start = 0;
  for (const point of [...sorted, whole.length]) {
    pieces.push(whole.slice(start, point) as T);
    start = point;
  }
  return pieces;
}

const seedContacts = [
  "Email Address,First Name,Last Name,State/Province (US/Canada)",
  "test1@test.com,Test1,Person,MA",
  "test2@test.com,Test2,Person,Test2",
  "test3@test.com,Test3,Person,Test3",
].join("\n");

describe("openContactFile()", () => {
  it("reads the SPEC's three contacts, trimming the space after each comma", async () => {
    const text =
      "EMAIL ADDRESS,FIRST NAME,LAST NAME\nwstest3@example.com, Fred, Test\nwstest4@example.com, Joan, Test\nwstest5@example.com, Ann, Test";
    const table = await openContactFile(text);
    expect(table.header).toEqual({
      names: ["EMAIL ADDRESS", "FIRST NAME", "LAST NAME"],
      columns: ["EMAIL ADDRESS", "FIRST NAME", "LAST NAME"],
      delimiter: ",",
      line: 1,
    });
    const rows: ContactRow[] = [];
    for await (const row of table.rows) rows.push(row);
    expect(rows).toEqual([
      { line: 2, fields: ["wstest3@example.com", "Fred", "Test"] },
      { line: 3, fields: ["wstest4@example.com", "Joan", "Test"] },
      { line: 4, fields: ["wstest5@example.com", "Ann", "Test"] },
    ]);
  });

  it("keeps the seed's line numbers: the second contact is line 3", async () => {
    const outcome = await readAll(seedContacts);
    expect(outcome).toMatchObject({
      rows: [
        { line: 2 },
        { line: 3, fields: ["test2@test.com", "Test2", "Person", "Test2"] },
        { line: 4 },
      ],
    });
  });

  it("reads quoted commas, doubled quotes, line breaks of every kind, a BOM and blank lines", async () => {
    const text =
      '\uFEFFEMAIL ADDRESS,CITY,COMPANY NAME\r\na@x.com, "Boston, MA" ,"Joe ""JJ"" Inc"\r\n\r\nb@x.com,"two\r\nlines\nand\rmore",x\rc@x.com,,\n';
    expect(await readAll(text)).toEqual({
      names: ["EMAIL ADDRESS", "CITY", "COMPANY NAME"],
      delimiter: ",",
      rows: [
        { line: 2, fields: ["a@x.com", "Boston, MA", 'Joe "JJ" Inc'] },
        { line: 4, fields: ["b@x.com", "two\r\nlines\nand\rmore", "x"] },
        { line: 8, fields: ["c@x.com", "", ""] },
      ],
    });
  });

  it("skips rows of empty cells (a spreadsheet's trailing ,,,) as it skips blank lines, counting their lines (ADR 0121)", async () => {
    const text =
      "EMAIL ADDRESS,FIRST NAME,CITY\r\na@x.com,Ann,Oslo\r\n,,\r\n , \t,\r\n,,,,,\r\nb@x.com,,\r\n,,\r\n,,\r\n";
    expect(await readAll(text)).toEqual({
      names: ["EMAIL ADDRESS", "FIRST NAME", "CITY"],
      delimiter: ",",
      rows: [
        { line: 2, fields: ["a@x.com", "Ann", "Oslo"] },
        { line: 6, fields: ["b@x.com", "", ""] },
      ],
    });
    expect(await readAll("Email Address\tCity\n\t\n \t \nc@x.com\tX\n")).toMatchObject({
      rows: [{ line: 4, fields: ["c@x.com", "X"] }],
    });
  });

  it("keeps a row of empty cells written with a quote, and still refuses an empty header", async () => {
    expect(await readAll('EMAIL ADDRESS,CITY\n"",\n,""\n')).toMatchObject({
      rows: [
        { line: 2, fields: ["", ""] },
        { line: 3, fields: ["", ""] },
      ],
    });
    expect(await readAll(",,,\nEMAIL ADDRESS\na@x.com\n")).toMatchObject({
      error: expect.stringMatching(/^Missing header at line 1: line 1 names no columns/),
    });
  });

  it("detects a tab-separated TXT file from its header", async () => {
    expect(await readAll("Email Address\tCity\na@x.com\t Boston, MA \n")).toEqual({
      names: ["Email Address", "City"],
      delimiter: "\t",
      rows: [{ line: 2, fields: ["a@x.com", "Boston, MA"] }],
    });
    expect(await readAll("EMAIL ADDRESS\ta,b\n", { delimiter: "," })).toMatchObject({
      names: ["EMAIL ADDRESS\ta", "b"],
    });
  });

  it("drops empty fields beyond the header but refuses a non-empty one, naming file and line", async () => {
    expect(await readAll("EMAIL ADDRESS,CITY,\na@x.com,X,,\n")).toMatchObject({
      names: ["EMAIL ADDRESS", "CITY"],
      rows: [{ line: 2, fields: ["a@x.com", "X"] }],
    });
    expect(
      await readAll("EMAIL ADDRESS,CITY\na@x.com,X\nb@x.com,Y,Z\n", { fileName: "c.csv" }),
    ).toEqual({
      error: 'Too many fields in "c.csv" at line 3, field 3: expected 2 (as in the header), got 3',
    });
    expect(await readAll("EMAIL ADDRESS\na,b\n", { extraFields: "keep" })).toMatchObject({
      rows: [{ line: 2, fields: ["a", "b"] }],
    });
  });

  it("yields the rows before an error, then throws it", async () => {
    const table = await openContactFile('EMAIL ADDRESS,CITY\na@x.com,X\nb@x.com,"Y\n', {
      fileName: "c.csv",
    });
    const seen: number[] = [];
    const failure = await (async () => {
      for await (const row of table.rows) seen.push(row.line);
    })().catch((error: unknown) => error);
    expect(seen).toEqual([2]);
    expect(failure).toBeInstanceOf(ContactFileError);
    expect(failure).toMatchObject({ fileName: "c.csv", line: 3, field: "CITY", column: 2 });
    expect((failure as Error).message).toMatch(
      /^Unterminated quoted field in "c.csv" at line 3, field "CITY": the file ends inside the quotes/,
    );
  });

  it("refuses an empty file, a blank first line, text after a closing quote and bad UTF-8", async () => {
    expect(await readAll("", { fileName: "e.csv" })).toEqual({
      error: 'Empty contact file in "e.csv" at line 1: expected a header line naming the columns',
    });
    expect(await readAll(new Uint8Array([0xef, 0xbb, 0xbf]))).toMatchObject({
      error: expect.stringMatching(/^Empty contact file/),
    });
    expect(await readAll("\nEMAIL ADDRESS\na@x.com")).toMatchObject({
      error: expect.stringMatching(/^Missing header at line 1/),
    });
    expect(await readAll('EMAIL ADDRESS,CITY\na@x.com,"X"Y\n')).toMatchObject({
      error: expect.stringMatching(
        /^Unexpected text after a closing quote at line 2, field "CITY"/,
      ),
    });
    const bytes = new TextEncoder().encode("EMAIL ADDRESS\na@x.com\nb@x.com\n");
    bytes[bytes.length - 3] = 0xff;
    expect(await readAll(bytes)).toMatchObject({
      error: expect.stringMatching(/^Invalid UTF-8 at line 3/),
    });
  });

  it("gives up on a row longer than maxRowLength instead of buffering the rest of the file", async () => {
    const source = ["EMAIL ADDRESS\n", '"never closed', ...Array(20).fill("x".repeat(100))];
    expect(await readAll(source, { maxRowLength: 1000 })).toMatchObject({
      error: expect.stringMatching(/^Row too long at line 2: more than 1000 characters/),
    });
  });

  it("decodes a multi-byte character split across chunks, from a ReadableStream", async () => {
    const bytes = new TextEncoder().encode("EMAIL ADDRESS,FIRST NAME\né@x.com,Zoë 😀\n");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < bytes.length; index++)
          controller.enqueue(bytes.subarray(index, index + 1));
        controller.close();
      },
    });
    expect(await readAll(stream)).toMatchObject({
      rows: [{ line: 2, fields: ["é@x.com", "Zoë 😀"] }],
    });
  });

  it("streams: reads the first rows of an endless source and closes it on break", async () => {
    let closed = false;
    let produced = 0;
    async function* endless(): AsyncGenerator<string> {
      try {
        yield "EMAIL ADDRESS\n";
        for (;;) yield `user${produced++}@example.com\n`;
      } finally {
        closed = true;
      }
    }
    const table = await openContactFile(endless());
    const lines: number[] = [];
    for await (const row of table.rows) {
      lines.push(row.line);
      if (lines.length === 5) break;
    }
    expect(lines).toEqual([2, 3, 4, 5, 6]);
    expect(closed).toBe(true);
    expect(produced).toBeLessThan(10);
  });

  it("stays linear when a long quoted field arrives one character at a time", async () => {
    const long = "x".repeat(200_000);
    const text = `EMAIL ADDRESS,CUSTOM FIELD 1\na@x.com,"${long}"\nb@x.com,y\n`;
    let scans = 0;
    const original = String.prototype.indexOf;
    // Counts the characters the reader's quote search looks at, through indexOf.
    const counting = function (this: string, search: string, from?: number): number {
      if (search === '"') scans += this.length - (from ?? 0);
      return original.call(this, search, from);
    };
    String.prototype.indexOf = counting;
    try {
      expect(await readAll(text.split(""))).toMatchObject({
        rows: [{ line: 2, fields: ["a@x.com", long] }, { line: 3 }],
      });
    } finally {
      String.prototype.indexOf = original;
    }
    expect(scans).toBeLessThan(20 * text.length);
  });

  it("lets the rows be read only once", async () => {
    const table = await openContactFile("EMAIL ADDRESS\na@x.com");
    for await (const _ of table.rows);
    expect(() => table.rows[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it("lets the rows be read only once, as rows or as batches", async () => {
    const readRowsFirst = await openContactFile("EMAIL ADDRESS\na@x.com");
    for await (const _ of readRowsFirst.rows);
    expect(() => readRowsFirst.batches?.[Symbol.asyncIterator]()).toThrow(TypeError);
    const readBatchesFirst = await openContactFile("EMAIL ADDRESS\na@x.com");
    for await (const _ of readBatchesFirst.batches!);
    expect(() => readBatchesFirst.rows[Symbol.asyncIterator]()).toThrow(TypeError);
    expect(() => readBatchesFirst.batches?.[Symbol.asyncIterator]()).toThrow(TypeError);
  });

  it("hands over the same rows in batches, one non-empty array per piece read, for any file and pieces", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 3 }), {
          maxLength: 30,
        }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (rows, points, asBytes) => {
          const text = ["A,B,C", ...rows.map((fields) => formatContactLine(fields))].join("\n");
          const whole = asBytes ? new TextEncoder().encode(text) : text;
          const expected = await readAll(cut(whole, points));
          let outcome: Outcome;
          const batches: (readonly ContactRow[])[] = [];
          try {
            const table = await openContactFile(cut(whole, points));
            for await (const batch of table.batches!) batches.push(batch);
            outcome = {
              names: table.header.names,
              delimiter: table.header.delimiter,
              rows: batches.flat(),
            };
          } catch (error) {
            if (!(error instanceof ContactFileError)) throw error;
            outcome = { error: error.message };
          }
          expect(outcome).toEqual(expected);
          expect(batches.every((batch) => batch.length > 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("hands a long piece's rows over 128 at a time, all of them, whatever maxRowLength (ADR 0125)", async () => {
    const lines = Array.from({ length: 1000 }, (_, index) => `user${index}@example.com,First,Last`);
    const text = `EMAIL ADDRESS,FIRST NAME,LAST NAME\n${lines.join("\n")}\n`;
    const bytes = new TextEncoder().encode(text);
    const sources = [[text], [text.slice(0, 30_000), text.slice(30_000)], [bytes]];
    for (const source of sources) {
      const table = await openContactFile(source, { maxRowLength: 200 });
      const batches: (readonly ContactRow[])[] = [];
      for await (const batch of table.batches!) batches.push(batch);
      expect(batches.every((batch) => batch.length > 0 && batch.length <= 128)).toBe(true);
      const rows = batches.flat();
      expect(rows).toHaveLength(1000);
      expect(rows[999]).toEqual({ line: 1001, fields: ["user999@example.com", "First", "Last"] });
      expect(rows.every((row, index) => row.line === index + 2)).toBe(true);
      expect(await readAll(source, { maxRowLength: 200 })).toMatchObject({ rows });
    }
    const bad = `${text}"never closed\n`;
    const read = await readAll([bad]);
    expect(read).toMatchObject({
      error: expect.stringMatching(/^Unterminated quoted field at line 1002/),
    });
  });

  it("hands over the rows before a malformed one in batches, then throws the same error as rows", async () => {
    const text = 'EMAIL ADDRESS,CITY\na@x.com,Boston\nb@x.com,"Portland\nc@x.com,X\n';
    const table = await openContactFile([text.slice(0, 30), text.slice(30)], { fileName: "c.csv" });
    const seen: ContactRow[] = [];
    const error = await (async () => {
      for await (const batch of table.batches!) seen.push(...batch);
    })().catch((caught: unknown) => caught);
    expect(seen).toEqual([{ line: 2, fields: ["a@x.com", "Boston"] }]);
    expect(ContactFileError.isInstance(error)).toBe(true);
    expect((error as ContactFileError).message).toBe(
      ((await readAll(text, { fileName: "c.csv" })) as { error: string }).error,
    );
  });
});

describe("formatContactLine()", () => {
  it("quotes exactly the fields that need it", () => {
    expect(formatContactLine(["a@example.com", "Fred", "Test"])).toBe("a@example.com,Fred,Test");
    expect(
      formatContactLine(["a@example.com", "Boston, MA", 'Joe "JJ"', " x", "y\n", "a\tb"]),
    ).toBe('a@example.com,"Boston, MA","Joe ""JJ"""," x","y\n",a\tb');
    expect(formatContactLine(["a, b", "c\td", "e\rf"], "\t")).toBe('a, b\t"c\td"\t"e\rf"');
    expect(formatContactLine([""])).toBe('""');
    // A row of empty cells keeps its first quoted: unquoted it would be skipped (ADR 0121).
    expect(formatContactLine(["", ""])).toBe('"",');
    expect(formatContactLine(["", "", ""], "\t")).toBe('""\t\t');
  });
});

describe("ContactFileError", () => {
  it("names the file, line and field, and is a SyntaxError", () => {
    const error = new ContactFileError(
      "Unterminated quoted field",
      { fileName: "c.csv", line: 3, field: "CITY", column: 2 },
      "the file ends inside the quotes",
    );
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.message).toBe(
      'Unterminated quoted field in "c.csv" at line 3, field "CITY": the file ends inside the quotes',
    );
    expect(ContactFileError.isInstance(error)).toBe(true);
    expect(new ContactFileError("Too many fields", { line: 4, column: 5 }).message).toBe(
      "Too many fields at line 4, field 5",
    );
  });
});

// Fields rich in the characters that matter, plus arbitrary Unicode.
const field = fc.oneof(
  fc.string({
    unit: fc.constantFrom(",", "\t", '"', "\r", "\n", " ", "a", "é", "😀", "\u00a0", "\uFEFF"),
    maxLength: 8,
  }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);
const lineBreak = fc.constantFrom("\n", "\r\n", "\r");
const delimiter = fc.constantFrom<ContactDelimiter>(",", "\t");

/** A file written with formatContactLine, and the rows (with lines) it must read back as. */
const writtenFile = fc
  .record({
    delimiter,
    detect: fc.boolean(),
    columns: fc.uniqueArray(fc.constantFrom(...CONTACT_COLUMNS), { minLength: 1, maxLength: 6 }),
    anyNames: fc.array(field, { minLength: 1, maxLength: 6 }),
    bom: fc.boolean(),
    trailingBreak: fc.boolean(),
    rows: fc.array(fc.tuple(fc.array(field, { minLength: 6, maxLength: 6 }), fc.nat(2)), {
      maxLength: 12,
    }),
    breaks: fc.array(lineBreak, { minLength: 40, maxLength: 40 }),
    // Rows of empty cells, to write where the file has blank lines: a count of delimiters and
    // the spaces around the cells.
    fillers: fc.array(
      fc.tuple(fc.nat(5), fc.array(fc.constantFrom("", " ", "  "), { minLength: 6, maxLength: 6 })),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .filter((file) => file.detect || file.anyNames.at(-1) !== "")
  .map((file) => {
    const names = file.detect ? [...file.columns] : file.anyNames;
    // A one-column header has no delimiter to detect: it reads as comma-separated.
    const delimiter = file.detect && names.length === 1 ? "," : file.delimiter;
    let breakIndex = 0;
    const nextBreak = (): string => file.breaks[breakIndex++ % file.breaks.length]!;
    let text = (file.bom ? "\uFEFF" : "") + formatContactLine(names, delimiter);
    // The same file with a row of empty cells on each blank line (ADR 0121: read alike).
    let filledText = text;
    let fillerIndex = 0;
    const filler = (): string => {
      const [count, spaces] = file.fillers[fillerIndex++ % file.fillers.length]!;
      let row = spaces[0]!;
      for (let cell = 1; cell <= count; cell++) row += delimiter + spaces[cell]!;
      return row.trim() === "" && count === 0 ? delimiter : row;
    };
    const expected: ContactRow[] = [];
    const filledExpected: ContactRow[] = [];
    for (const [allFields, blankLines] of file.rows) {
      const fields = allFields.slice(0, names.length);
      for (let blank = 0; blank < blankLines; blank++) {
        const lineBreak = nextBreak();
        text += lineBreak;
        filledText += lineBreak + filler();
      }
      const lineBreak = nextBreak();
      text += lineBreak;
      filledText += lineBreak;
      // Counted on the text so far: a CR then an LF written apart read as one CRLF.
      expected.push({ line: 1 + countBreaks(text), fields });
      filledExpected.push({ line: 1 + countBreaks(filledText), fields });
      text += formatContactLine(fields, delimiter);
      filledText += formatContactLine(fields, delimiter);
    }
    if (file.trailingBreak) {
      const lineBreak = nextBreak();
      text += lineBreak;
      filledText += lineBreak;
    }
    const options: OpenContactFileOptions = file.detect ? {} : { delimiter: file.delimiter };
    return { text, options, names, delimiter, expected, filledText, filledExpected };
  });

function countBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

describe("openContactFile() properties", () => {
  it("reads back any rows written by formatContactLine, with exact line numbers", async () => {
    await fc.assert(
      fc.asyncProperty(writtenFile, async (file) => {
        expect(await readAll(file.text, file.options)).toEqual({
          names: file.names,
          delimiter: file.delimiter,
          rows: file.expected,
        });
      }),
      { numRuns: 300 },
    );
  });

  it("reads a row of empty cells (unquoted, any count, any spaces) as it reads a blank line", async () => {
    await fc.assert(
      fc.asyncProperty(writtenFile, async (file) => {
        expect(await readAll(file.filledText, file.options)).toEqual({
          names: file.names,
          delimiter: file.delimiter,
          rows: file.filledExpected,
        });
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same result wherever the text or its bytes are split", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          writtenFile.map((file) => file.text),
          fc.string({ unit: fc.constantFrom(",", "\t", '"', "\r", "\n", " ", "a", "é") }),
        ),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (text, points, asBytes) => {
          const whole = await readAll(text);
          const source = asBytes ? cut(new TextEncoder().encode(text), points) : cut(text, points);
          expect(await readAll(source)).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("turns any bytes into rows or a ContactFileError, never another exception", async () => {
    const interesting = [
      0x2c, 0x09, 0x22, 0x0d, 0x0a, 0x20, 0x61, 0xc3, 0xa9, 0xff, 0xef, 0xbb, 0xbf,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc
            .array(fc.constantFrom(...interesting), { maxLength: 64 })
            .map((b) => Uint8Array.from(b)),
        ),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (bytes, points) => {
          // readAll rethrows anything but a ContactFileError, failing the property.
          const outcome = await readAll(cut(bytes, points));
          if ("rows" in outcome)
            for (const row of outcome.rows) {
              expect(row.line).toBeGreaterThan(1);
              expect(row.fields.length).toBeLessThanOrEqual(outcome.names.length);
            }
        },
      ),
      { numRuns: 500 },
    );
  });
});
