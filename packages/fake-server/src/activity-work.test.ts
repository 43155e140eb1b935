import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderExportFile } from "./activity-work.ts";

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
});
