import { openContactFile } from "@ctct-bulk/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { looksLikeRejectsFile, withoutRejectColumns } from "./rejects-input.ts";

async function collect(source: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const piece of source) text += piece;
  return text;
}

describe("withoutRejectColumns()", () => {
  it("drops the two added columns and keeps every row on its line", async () => {
    const rejects =
      'EMAIL ADDRESS,CITY,REJECTED LINE,REJECTED REASON\r\n\r\nann@example.com,"Boston\nMA",3,Bad\nbo@example.com,,9,"Bad, really"\n';
    const text = await collect(withoutRejectColumns(await openContactFile(rejects)));
    const table = await openContactFile(text);
    expect(table.header.names).toEqual(["EMAIL ADDRESS", "CITY"]);
    const rows = [];
    for await (const row of table.rows) rows.push(row);
    expect(rows).toEqual([
      { line: 3, fields: ["ann@example.com", "Boston\nMA"] },
      { line: 5, fields: ["bo@example.com", ""] },
    ]);
  });

  it("keeps the line numbers of any rejects file", async () => {
    const field = fc.stringMatching(/^[a-z@. ,"\n]{0,8}$/).map((text) => text.trim());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(field, { minLength: 2, maxLength: 2 }), fc.nat(3)), {
          minLength: 1,
          maxLength: 10,
        }),
        async (rows) => {
          // A rejects file with blank lines between rows (`gap`), written with core's formatter.
          const { formatContactLine } = await import("@ctct-bulk/core");
          let text = "EMAIL ADDRESS,CITY,REJECTED LINE,REJECTED REASON";
          for (const [fields, gap] of rows)
            text += "\n".repeat(gap + 1) + formatContactLine([...fields, "7", "x"]);
          const original = [];
          for await (const row of (await openContactFile(text)).rows)
            original.push({ line: row.line, fields: row.fields.slice(0, 2) });
          const stripped = [];
          for await (const row of (
            await openContactFile(await collect(withoutRejectColumns(await openContactFile(text))))
          ).rows)
            stripped.push(row);
          const pad = (fields: string[]): string[] => [...fields, "", ""].slice(0, 2);
          expect(stripped.map((row) => ({ line: row.line, fields: pad(row.fields) }))).toEqual(
            original.map((row) => ({ line: row.line, fields: pad(row.fields) })),
          );
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe("looksLikeRejectsFile()", () => {
  it("reads only the first line", async () => {
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
    expect(
      await looksLikeRejectsFile(bytes("EMAIL ADDRESS,REJECTED LINE,REJECTED REASON\r\nx")),
    ).toBe(true);
    expect(
      await looksLikeRejectsFile(bytes("EMAIL ADDRESS,CITY\nREJECTED LINE,REJECTED REASON")),
    ).toBe(false);
    expect(await looksLikeRejectsFile(bytes(""))).toBe(false);
  });
});
