import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import XLSX from "xlsx";
import { makeTempDir, removeTempDirs, testContext } from "./_test_context.ts";
import { CliError } from "./cli-error.ts";
import { openInputFile } from "./input.ts";

let dir: string;
const CSV = 'EMAIL ADDRESS,FIRST NAME\nann@example.com,Ann\nbo@example.com,"Bo, Jr"\n';

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

beforeAll(async () => {
  dir = await makeTempDir("ctct-cli-input-");
  await writeFile(join(dir, "contacts.csv"), CSV);
  await writeFile(join(dir, "contacts.csv.gz"), gzipSync(CSV));
  await writeFile(join(dir, "secretly-gzipped.csv"), gzipSync(CSV));
  await writeFile(join(dir, "tabs.txt"), "EMAIL ADDRESS\tFIRST NAME\nann@example.com\tAnn\n");
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([["Notes"], ["none"]]), "Notes");
  XLSX.utils.book_append_sheet(
    book,
    XLSX.utils.aoa_to_sheet([
      ["Email Address", "First Name", "Work Phone"],
      ["ann@example.com", "Ann, Jr", 5551234567],
      ["bo@example.com", "Bo", null],
    ]),
    "Contacts",
  );
  await writeFile(join(dir, "book.xlsx"), XLSX.write(book, { type: "buffer", bookType: "xlsx" }));
  await writeFile(join(dir, "book.xls"), XLSX.write(book, { type: "buffer", bookType: "biff8" }));
  await writeFile(
    join(dir, "book.xlsx.gz"),
    gzipSync(XLSX.write(book, { type: "buffer", bookType: "xlsx" })),
  );
  await writeFile(join(dir, "fake.xlsx"), CSV);
  await mkdir(join(dir, "folder"));
});

afterAll(removeTempDirs);

describe("openInputFile()", () => {
  it("streams a CSV file as it is and counts the bytes read", async () => {
    const input = await openInputFile("contacts.csv", testContext({ cwd: dir }));
    expect(input).toMatchObject({
      fileName: "contacts.csv",
      format: "csv",
      compressed: false,
      size: CSV.length,
    });
    expect(await text(input.stream)).toBe(CSV);
    expect(input.bytesRead()).toBe(CSV.length);
  });

  it("decompresses a .gz file and names it without .gz", async () => {
    const input = await openInputFile("contacts.csv.gz", testContext({ cwd: dir }));
    expect(input).toMatchObject({ fileName: "contacts.csv", format: "csv", compressed: true });
    expect(await text(input.stream)).toBe(CSV);
    expect(input.bytesRead()).toBe(input.size);
  });

  it("recognises gzip by its first bytes whatever the file's name", async () => {
    const input = await openInputFile("secretly-gzipped.csv", testContext({ cwd: dir }));
    expect(input.compressed).toBe(true);
    expect(await text(input.stream)).toBe(CSV);
  });

  it("reads gzip files made of several members, and names a damaged one", async () => {
    const members = Buffer.concat([gzipSync("EMAIL ADDRESS\n"), gzipSync("ann@example.com\n")]);
    const input = await openInputFile("-", testContext({ stdin: members }));
    expect(await text(input.stream)).toBe("EMAIL ADDRESS\nann@example.com\n");
    const damaged = gzipSync(CSV.repeat(50)).subarray(0, 60);
    const broken = await openInputFile("-", testContext({ stdin: damaged }))
      .then((opened) => text(opened.stream))
      .catch((error: unknown) => error);
    expect(CliError.isInstance(broken) && broken.exitCode).toBe(2);
    expect((broken as Error).message).toMatch(/^Cannot decompress "stdin": /);
  });

  it("reads stdin for -, compressed or not", async () => {
    const plain = await openInputFile("-", testContext({ stdin: CSV }));
    expect(plain).toMatchObject({ displayName: "stdin", size: undefined });
    expect(await text(plain.stream)).toBe(CSV);
    const zipped = await openInputFile("-", testContext({ stdin: gzipSync(CSV) }));
    expect(await text(zipped.stream)).toBe(CSV);
  });

  it("reads an empty stdin as an empty file", async () => {
    const input = await openInputFile("-", testContext({ stdin: "" }));
    expect(await text(input.stream)).toBe("");
  });

  it("keeps tab-separated text files byte for byte", async () => {
    const input = await openInputFile("tabs.txt", testContext({ cwd: dir }));
    expect(input.format).toBe("txt");
    expect(await text(input.stream)).toContain("ann@example.com\tAnn");
  });

  it("converts the first worksheet of an .xlsx or .xls workbook to CSV text", async () => {
    for (const name of ["book.xlsx", "book.xls", "book.xlsx.gz"]) {
      const input = await openInputFile(name, testContext({ cwd: dir }), { sheet: "Contacts" });
      expect(input.format).toBe("excel");
      expect(await text(input.stream)).toBe(
        'Email Address,First Name,Work Phone\nann@example.com,"Ann, Jr",5551234567\nbo@example.com,Bo,',
      );
    }
    const first = await openInputFile("book.xlsx", testContext({ cwd: dir }));
    expect(first.sheet).toBe("Notes");
    expect(await text(first.stream)).toBe("Notes\nnone");
  });

  it("writes Excel date cells as ISO dates whatever their display format, other numbers as shown", async () => {
    const sheet = XLSX.utils.aoa_to_sheet(
      [
        ["EMAIL ADDRESS", "CUSTOM FIELD 1", "CUSTOM FIELD 2", "CUSTOM FIELD 3", "POSTAL CODE"],
        [
          "x6@example.com",
          new Date(Date.UTC(2024, 0, 2)),
          new Date(Date.UTC(2024, 0, 2, 13, 5)),
          2134,
          "02134",
        ],
      ],
      { cellDates: true },
    );
    sheet.C2!.z = "dd/mm/yyyy hh:mm";
    const dated = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(dated, sheet, "Dates");
    for (const bookType of ["xlsx", "biff8"] as const) {
      const name = `dates.${bookType === "xlsx" ? "xlsx" : "xls"}`;
      await writeFile(join(dir, name), XLSX.write(dated, { type: "buffer", bookType }));
      const input = await openInputFile(name, testContext({ cwd: dir }));
      expect((await text(input.stream)).split("\n")[1]).toBe(
        "x6@example.com,2024-01-02,2024-01-02 13:05:00,2134,02134",
      );
    }
  });

  it("keeps a worksheet's blank rows as empty lines, so that line numbers are the sheet's rows", async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(
      book,
      XLSX.utils.aoa_to_sheet([
        [],
        ["EMAIL ADDRESS", "FIRST NAME"],
        ["ok1@example.com", "A"],
        [],
        [null, ""],
        ["bad1", "B"],
      ]),
      "Gaps",
    );
    await writeFile(join(dir, "gaps.xlsx"), XLSX.write(book, { type: "buffer", bookType: "xlsx" }));
    const input = await openInputFile("gaps.xlsx", testContext({ cwd: dir }));
    // Blank rows before the header are left out: the header is line 1, as the API counts.
    expect(await text(input.stream)).toBe(
      "EMAIL ADDRESS,FIRST NAME\nok1@example.com,A\n\n\nbad1,B",
    );
  });

  it("refuses --sheet for a file that is not a workbook, and --encoding for a workbook", async () => {
    const sheet = await openInputFile("contacts.csv", testContext({ cwd: dir }), {
      sheet: "Contacts",
    }).catch((error: unknown) => error);
    expect((sheet as Error).message).toBe(
      '--sheet "Contacts" is for an Excel workbook: "contacts.csv" is a CSV or text file',
    );
    expect(CliError.isInstance(sheet) && sheet.exitCode).toBe(2);
    const encoding = await openInputFile("book.xlsx", testContext({ cwd: dir }), {
      encoding: "windows-1252",
    }).catch((error: unknown) => error);
    expect((encoding as Error).message).toBe(
      '--encoding "windows-1252" is for a CSV or text file: "book.xlsx" is an Excel workbook',
    );
    expect(CliError.isInstance(encoding) && encoding.exitCode).toBe(2);
  });

  it("names the worksheets when --sheet names none of them", async () => {
    await expect(
      openInputFile("book.xlsx", testContext({ cwd: dir }), { sheet: "Nope" }),
    ).rejects.toThrow(
      'Unknown worksheet "Nope" in "book.xlsx": expected one of "Notes", "Contacts"',
    );
  });

  it("refuses a text file named like a workbook, and a damaged workbook, as usage errors", async () => {
    const fake = await openInputFile("fake.xlsx", testContext({ cwd: dir })).catch(
      (error: unknown) => error,
    );
    expect((fake as Error).message).toBe(
      'Cannot read "fake.xlsx" as an Excel workbook: it is not a .xls or .xlsx file',
    );
    expect(CliError.isInstance(fake) && fake.exitCode).toBe(2);
    // A zip container that is no workbook: SheetJS cannot read it.
    await writeFile(join(dir, "damaged.xlsx"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    const damaged = await openInputFile("damaged.xlsx", testContext({ cwd: dir })).catch(
      (error: unknown) => error,
    );
    expect((damaged as Error).message).toMatch(
      /^Cannot read "damaged.xlsx" as an Excel workbook: /,
    );
    expect(CliError.isInstance(damaged) && damaged.exitCode).toBe(2);
  });

  it("says why a path cannot be opened, as a usage error", async () => {
    const missing = await openInputFile("nope.csv", testContext({ cwd: dir })).catch(
      (error: unknown) => error,
    );
    expect(CliError.isInstance(missing) && missing.exitCode).toBe(2);
    expect((missing as Error).message).toBe('Cannot open "nope.csv": no such file');
    await expect(openInputFile("folder", testContext({ cwd: dir }))).rejects.toThrow(
      'Cannot open "folder": it is a directory',
    );
  });

  it("gives back any bytes unchanged, however they are cut into chunks", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.boolean(), async (bytes, zip) => {
        const input = await openInputFile(
          "-",
          testContext({ stdin: zip ? gzipSync(bytes) : bytes }),
        );
        // Data that starts like a zip or OLE container would be read as a workbook: skip it.
        if (input.format === "excel") return;
        expect(new Uint8Array(await new Response(input.stream).arrayBuffer())).toEqual(bytes);
      }),
      { numRuns: 100 },
    );
  });
});
