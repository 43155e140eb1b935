import { describe, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { AUTH } from "./_test_helpers.ts";
import { createFakeServer } from "./fake-server.ts";
import { isSpreadsheet, spreadsheetToCsv } from "./spreadsheet.ts";

function workbook(rows: unknown[][], bookType: XLSX.BookType): Uint8Array {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "First");
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([["IGNORED"]]), "Second");
  return new Uint8Array(XLSX.write(book, { type: "array", bookType }) as ArrayBuffer);
}

describe("spreadsheetToCsv()", () => {
  it("turns the first sheet into CSV, quoting commas and quotes, keeping a blank row as a line of empty cells", () => {
    const rows = [
      ["EMAIL ADDRESS", "CITY", "CUSTOM FIELD 1"],
      ["a@example.com", "Boston, MA", 'Say "hi"'],
      [],
      ["b@example.com", "Oslo", 42],
    ];
    for (const bookType of ["xlsx", "biff8"] as const)
      expect(spreadsheetToCsv(workbook(rows, bookType), `c.${bookType}`)).toBe(
        'EMAIL ADDRESS,CITY,CUSTOM FIELD 1\na@example.com,"Boston, MA","Say ""hi"""\n,,\nb@example.com,Oslo,42',
      );
  });

  it("reports an uploaded workbook's refused rows by their row in the sheet, blank rows counted (ADR 0155)", async () => {
    const server = createFakeServer();
    const rows = [
      [],
      ["EMAIL ADDRESS", "FIRST NAME"],
      ["a@example.com", "Ann"],
      [],
      ["bad@", "Bob"],
    ];
    const book = XLSX.utils.book_new();
    const sheet = XLSX.utils.aoa_to_sheet(rows);
    XLSX.utils.book_append_sheet(book, sheet, "First");
    const bytes = new Uint8Array(
      XLSX.write(book, { type: "array", bookType: "xlsx" }) as ArrayBuffer,
    );
    const form = new FormData();
    form.append("activityType", "SV_ADD");
    form.append("lists", "http://api.constantcontact.com/ws/customers/joesflowers/lists/2");
    form.append("dataFile", new Blob([bytes]), "contacts.xlsx");
    const created = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
      method: "POST",
      headers: AUTH,
      body: form,
    });
    expect(created.status).toBe(201);
    const entry = await (
      await server.fetch(created.headers.get("location")!, { headers: AUTH })
    ).text();
    // The header is line 1 (the blank row above it is not counted); "bad@" is line 4 of the
    // sheet's rows from the header on, as `ctct-bulk validate contacts.xlsx` reports it.
    expect(entry).toContain("<LineNumber>4</LineNumber>");
  });

  it("recognizes workbooks by name, type or first bytes, and CSV as not one", () => {
    const xlsx = workbook([["EMAIL ADDRESS"]], "xlsx");
    const xls = workbook([["EMAIL ADDRESS"]], "biff8");
    const csv = new TextEncoder().encode("EMAIL ADDRESS\na@example.com");
    expect(
      isSpreadsheet({ fileName: "upload", contentType: "application/octet-stream", data: xlsx }),
    ).toBe(true);
    expect(
      isSpreadsheet({ fileName: "upload", contentType: "application/octet-stream", data: xls }),
    ).toBe(true);
    expect(isSpreadsheet({ fileName: "c.XLS", contentType: "", data: csv })).toBe(true);
    expect(isSpreadsheet({ fileName: "c.csv", contentType: "text/csv", data: csv })).toBe(false);
  });

  it("names the file when the bytes are no workbook", () => {
    const truncatedZip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
    expect(() => spreadsheetToCsv(truncatedZip, "broken.xlsx")).toThrow(
      /Unreadable spreadsheet "broken\.xlsx"/,
    );
  });
});
