import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkContactRows, rowTooLarge } from "./chunker.ts";
import { type ContactHeader, openContactFile } from "./contact-file.ts";
import { RowTooLargeError } from "./row-too-large-error.ts";

const HEADER: ContactHeader = {
  names: ["EMAIL ADDRESS", "FIRST NAME"],
  columns: ["EMAIL ADDRESS", "FIRST NAME"],
  delimiter: ",",
  line: 1,
};

describe("rowTooLarge()", () => {
  it("predicts the chunker: a row it flags is the row the chunker refuses, with the same size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        fc.integer({ min: 60, max: 300 }),
        async (name, max) => {
          const row = { line: 2, fields: ["a@example.com", name] };
          const predicted = rowTooLarge(HEADER, row, max);
          const table = {
            header: HEADER,
            rows: (async function* () {
              yield row;
            })(),
          };
          let thrown: unknown;
          try {
            for await (const _ of chunkContactRows(table, {
              maxEncodedBytes: max,
              minRowsPerChunk: 1,
            }));
          } catch (error) {
            thrown = error;
          }
          if (predicted === undefined) expect(thrown).toBeUndefined();
          else {
            expect(thrown).toBeInstanceOf(RowTooLargeError);
            expect((thrown as RowTooLargeError).encodedBytes).toBe(predicted.encodedBytes);
            expect(predicted.line).toBe(2);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("passes an ordinary row at the default limit and names the line of one over it", async () => {
    const table = await openContactFile("EMAIL ADDRESS\na@example.com\n");
    expect(rowTooLarge(table.header, { line: 2, fields: ["a@example.com"] })).toBeUndefined();
    const huge = rowTooLarge(table.header, { line: 7, fields: ["é".repeat(400_000)] });
    expect(huge?.line).toBe(7);
    expect(huge?.encodedBytes).toBeGreaterThan(1_900_000);
  });
});
