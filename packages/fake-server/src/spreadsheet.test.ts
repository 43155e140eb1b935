import { describe, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { isSpreadsheet, spreadsheetToCsv } from "./spreadsheet.ts";

function workbook(rows: unknown[][], bookType: XLSX.BookType): Uint8Array {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), "First");
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([["IGNORED"]]), "Second");
  return new Uint8Array(XLSX.write(book, { type: "array", bookType }) as ArrayBuffer);
}

describe("spreadsheetToCsv()", () => {
  it("turns the first sheet into CSV, quoting commas and quotes, dropping blank rows", () => {
    const rows = [
      ["EMAIL ADDRESS", "CITY", "CUSTOM FIELD 1"],
      ["a@example.com", "Boston, MA", 'Say "hi"'],
      [],
      ["b@example.com", "Oslo", 42],
    ];
    for (const bookType of ["xlsx", "biff8"] as const)
      expect(spreadsheetToCsv(workbook(rows, bookType), `c.${bookType}`)).toBe(
        'EMAIL ADDRESS,CITY,CUSTOM FIELD 1\na@example.com,"Boston, MA","Say ""hi"""\nb@example.com,Oslo,42',
      );
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
