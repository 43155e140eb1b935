import { describe, expect, it } from "vitest";
import { isExcelFile, readContactText, type toContactSource } from "./contact-input.ts";

async function text(input: Parameters<typeof toContactSource>[0]): Promise<string> {
  return readContactText(input, 1_000_000);
}

describe("isExcelFile()", () => {
  it("knows Excel by name or media type, and nothing else", () => {
    expect(isExcelFile("a.xls")).toBe(true);
    expect(isExcelFile("A.XLSX")).toBe(true);
    expect(
      isExcelFile("a.csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ).toBe(true);
    expect(isExcelFile("a.xls.csv", "text/csv")).toBe(false);
    expect(isExcelFile(undefined, undefined)).toBe(false);
  });
});

describe("readContactText()", () => {
  it("turns rows and records into a contact file, quoting what needs it", async () => {
    expect(
      await text({ columns: ["EMAIL ADDRESS", "CITY"], rows: [["a@example.com", "Boston, MA"]] }),
    ).toBe('EMAIL ADDRESS,CITY\na@example.com,"Boston, MA"\n');
    expect(await text([{ "EMAIL ADDRESS": "b@example.com", "FIRST NAME": 'Jo "JJ"' }])).toBe(
      'EMAIL ADDRESS,FIRST NAME\nb@example.com,"Jo ""JJ"""\n',
    );
  });

  it("reads a Blob, a ReadableStream of bytes split inside a character, and a generator of lines", async () => {
    expect(await text(new Blob(["EMAIL ADDRESS\nzoë@example.com\n"]))).toBe(
      "EMAIL ADDRESS\nzoë@example.com\n",
    );
    const bytes = new TextEncoder().encode("EMAIL ADDRESS\nzoë@example.com\n");
    const split = bytes.indexOf(0xc3) + 1;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, split));
        controller.enqueue(bytes.slice(split));
        controller.close();
      },
    });
    expect(await text(stream)).toBe("EMAIL ADDRESS\nzoë@example.com\n");
    function* lines() {
      yield "EMAIL ADDRESS\n";
      yield "a@example.com\n";
    }
    expect(await text(lines())).toBe("EMAIL ADDRESS\na@example.com\n");
  });

  it("refuses a record with a column the first record did not have, naming it", async () => {
    await expect(
      text([{ "EMAIL ADDRESS": "a@example.com" }, { "EMAIL ADDRESS": "b@example.com", CITY: "X" }]),
    ).rejects.toThrow('Invalid contact record 2: unknown column "CITY"');
  });

  it("refuses a row with more fields than the header", async () => {
    await expect(
      text({ columns: ["EMAIL ADDRESS"], rows: [["a@example.com", "extra"]] }),
    ).rejects.toThrow("Invalid contact row 1: it has 2 fields, the header names 1 columns");
  });

  it("stops reading past the limit instead of holding a huge stream", async () => {
    function* endless() {
      for (;;) yield "x".repeat(1_000);
    }
    await expect(readContactText(endless(), 10_000)).rejects.toThrow(RangeError);
  });
});
