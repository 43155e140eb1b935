import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderExportFile, renderExportPieces } from "./activity-work.ts";

describe("renderExportFile()", () => {
  it("sorts by address without regard to case, or newest first with ties by address", () => {
    const member = fc.record({
      email: fc
        .constantFrom("ann", "Ann", "bob", "BOB", "cho", "dee")
        .map((name) => `${name}@x.io`),
      date: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(member, { maxLength: 30 }), fc.boolean(), (list, byDate) => {
        const members = list.map((m) => ({ ...m, fields: {}, source: "Site Owner", lists: [] }));
        const work = {
          kind: "export",
          listId: "2",
          fileType: "CSV",
          columns: [],
          includeDate: true,
          includeSource: false,
          includeListName: false,
          sortBy: byDate ? "DATE_DESC" : "EMAIL_ADDRESS",
        } as never;
        const rows = renderExportFile(members as never, work, "L")
          .trimEnd()
          .split("\n")
          .slice(1);
        const keys = rows.map((row) => {
          const [email, date] = row.split(",");
          return { email: email!.toLowerCase(), date: Date.parse(date!) };
        });
        for (let index = 1; index < keys.length; index++) {
          const [a, b] = [keys[index - 1]!, keys[index]!];
          if (byDate && a.date !== b.date) expect(a.date).toBeGreaterThan(b.date);
          else expect(a.email <= b.email).toBe(true);
        }
        expect(rows).toHaveLength(members.length);
      }),
    );
  });

  it("cuts a big list's file into pieces of 10,000 lines that join into the same text", () => {
    const members = Array.from({ length: 25_000 }, (_, index) => ({
      contactId: index,
      email: `m${String(index).padStart(5, "0")}@x.io`,
      fields: {},
      date: 0,
      source: "Site Owner",
    }));
    const work = {
      kind: "export",
      listId: "2",
      fileType: "CSV",
      columns: [],
      includeDate: false,
      includeSource: false,
      includeListName: false,
      sortBy: "EMAIL_ADDRESS",
    } as never;
    const pieces = renderExportPieces(members, work, "L");
    expect(pieces.map((piece) => piece.split("\n").length - 1)).toEqual([10_000, 10_000, 5_001]);
    expect(pieces.join("")).toBe(renderExportFile(members, work, "L"));
    expect(pieces[2]!.endsWith("m24999@x.io\n")).toBe(true);
  });
});
