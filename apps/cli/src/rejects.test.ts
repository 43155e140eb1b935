import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openContactFile } from "@ctct-bulk/core";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs } from "./_test_context.ts";
import { createRejectsWriter, dropRejectColumns, isRejectsHeader } from "./rejects.ts";

async function rows(text: string): Promise<{ names: string[]; rows: string[][] }> {
  const table = await openContactFile(text);
  const all: string[][] = [];
  for await (const row of table.rows) all.push(row.fields);
  return { names: table.header.names, rows: all };
}

afterAll(removeTempDirs);

describe("createRejectsWriter()", () => {
  it("fails its close() when the file could not be written, instead of claiming the rows", async () => {
    const dir = await makeTempDir("ctct-cli-rejects-");
    const writer = createRejectsWriter(
      join("missing-dir", "rejects.csv"),
      { names: ["EMAIL ADDRESS"], delimiter: "," },
      dir,
    );
    await writer.write({ line: 2, fields: ["ann@"], reason: "Bad" }).catch(() => {});
    await expect(writer.close()).rejects.toThrow(
      'Cannot write the rejects file "missing-dir/rejects.csv": ENOENT',
    );
  });

  it("writes the original columns plus the line and the reason", async () => {
    const dir = await makeTempDir("ctct-cli-rejects-");
    const writer = createRejectsWriter(
      "rejects.csv",
      { names: ["EMAIL ADDRESS", "CITY"], delimiter: "," },
      dir,
    );
    await writer.write({
      line: 3,
      fields: ["ann@", "Boston, MA"],
      reason: 'Invalid email address "ann@"',
    });
    await writer.write({ line: 9, fields: ["bo@example"], reason: "Bad" });
    await writer.close();
    expect(writer.count).toBe(2);
    expect(await readFile(join(dir, "rejects.csv"), "utf8")).toBe(
      'EMAIL ADDRESS,CITY,REJECTED LINE,REJECTED REASON\nann@,"Boston, MA",3,"Invalid email address ""ann@"""\nbo@example,,9,Bad\n',
    );
  });

  it("reads back, through core's reader, exactly the rows and reasons written", async () => {
    const field = fc.string({ maxLength: 12 }).map((text) => text.trim());
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.array(field, { minLength: 2, maxLength: 2 }),
            fc.nat(),
            fc.string({ minLength: 1, maxLength: 20 }).map((text) => text.trim() || "x"),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        fc.constantFrom(",", "\t") as fc.Arbitrary<"," | "\t">,
        async (rejected, delimiter) => {
          const dir = await makeTempDir("ctct-cli-rejects-");
          const writer = createRejectsWriter(
            "r.csv",
            { names: ["EMAIL ADDRESS", "CITY"], delimiter },
            dir,
          );
          for (const [fields, line, reason] of rejected)
            await writer.write({ line, fields, reason });
          await writer.close();
          const read = await rows(await readFile(join(dir, "r.csv"), "utf8"));
          expect(read.names).toEqual(["EMAIL ADDRESS", "CITY", "REJECTED LINE", "REJECTED REASON"]);
          // The reader drops empty trailing fields and skips rows that are blank: compare padded.
          const pad = (cells: string[]): string[] => [...cells, "", "", "", ""].slice(0, 4);
          expect(read.rows.map(pad)).toEqual(
            rejected.map(([fields, line, reason]) => [...fields, String(line), reason]),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("fails with the file's name when it cannot be written", async () => {
    const writer = createRejectsWriter(
      "no/such/dir/r.csv",
      { names: ["EMAIL ADDRESS"], delimiter: "," },
      tmpdir(),
    );
    await expect(
      (async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await writer.write({ line: 2, fields: ["x"], reason: "y" });
        await writer.close();
      })(),
    ).rejects.toThrow('Cannot write the rejects file "no/such/dir/r.csv"');
  });
});

describe("dropRejectColumns()", () => {
  it("turns a rejects file back into an importable contact file", async () => {
    const table = dropRejectColumns(
      await openContactFile(
        'EMAIL ADDRESS,CITY,REJECTED LINE,REJECTED REASON\nann@example.com,Boston,3,"Invalid email"\n',
      ),
    );
    expect(table.header.names).toEqual(["EMAIL ADDRESS", "CITY"]);
    expect(table.header.columns).toEqual(["EMAIL ADDRESS", "CITY"]);
    const all = [];
    for await (const row of table.rows) all.push(row);
    expect(all).toEqual([{ line: 2, fields: ["ann@example.com", "Boston"] }]);
  });

  it("leaves other files alone", async () => {
    const table = await openContactFile("EMAIL ADDRESS,CITY\nann@example.com,Boston\n");
    expect(dropRejectColumns(table)).toBe(table);
    expect(isRejectsHeader(["REJECTED LINE", "REJECTED REASON"])).toBe(false);
    expect(isRejectsHeader(["EMAIL ADDRESS", "rejected line", "Rejected Reason"])).toBe(true);
  });
});
