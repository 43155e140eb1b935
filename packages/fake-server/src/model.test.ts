// Property: any run of adds, removes, clears and exports, on any clock schedule, leaves exactly the
// memberships a simple model predicts, and every export holds the list as the model had it then.
import { parseMinimalEntry } from "@ctct-bulk/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { get, listUriOf, postForm } from "./_test_helpers.ts";
import { createFakeServer } from "./fake-server.ts";

const EMAILS = [
  "ann@example.com",
  "bob@example.com",
  "cy@example.com",
  "dee@example.com",
  "eve@example.com",
];
const LISTS = [1, 2, 3];

type Operation =
  | { kind: "add"; emails: string[]; lists: number[] }
  | { kind: "remove"; emails: string[]; lists: number[]; upper: boolean }
  | { kind: "clear"; lists: number[] }
  | { kind: "export"; list: number };

const someOf = <T>(items: T[]) =>
  fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: items.length });
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("add" as const), emails: someOf(EMAILS), lists: someOf(LISTS) }),
  fc.record({
    kind: fc.constant("remove" as const),
    emails: someOf(EMAILS),
    lists: someOf(LISTS),
    upper: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("clear" as const), lists: someOf(LISTS) }),
  fc.record({ kind: fc.constant("export" as const), list: fc.constantFrom(...LISTS) }),
);

function params(op: Operation): [string, string][] {
  const lists = (ids: number[]) => ids.map((id): [string, string] => ["lists", listUriOf(id)]);
  switch (op.kind) {
    case "add":
      return [
        ["activityType", "SV_ADD"],
        ["data", `EMAIL ADDRESS\n${op.emails.join("\n")}`],
        ...lists(op.lists),
      ];
    case "remove": {
      const emails = op.upper ? op.emails.map((email) => email.toUpperCase()) : op.emails;
      return [
        ["activityType", "REMOVE_CONTACTS_FROM_LISTS"],
        ["data", `EMAIL ADDRESS\n${emails.join("\n")}`],
        ...lists(op.lists),
      ];
    }
    case "clear":
      return [["activityType", "CLEAR_CONTACTS_FROM_LISTS"], ...lists(op.lists)];
    case "export":
      return [
        ["activityType", "EXPORT_CONTACTS"],
        ["listId", listUriOf(op.list)],
        ["fileType", "CSV"],
      ];
  }
}

describe("a random run of activities", () => {
  it("leaves exactly the memberships the model predicts, and exports what the model held", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(operation, fc.nat({ max: 3000 })), { minLength: 1, maxLength: 12 }),
        fc.constantFrom(0, 250, 1000),
        async (run, jobDelay) => {
          const server = createFakeServer({ clock: "manual", jobDelay });
          const model = new Map(LISTS.map((id) => [id, new Set<string>()]));
          const expectedExports: [string, string[]][] = [];
          for (const [op, pause] of run) {
            const response = await postForm(server, params(op));
            expect(response.status).toBe(201);
            const id = parseMinimalEntry(await response.text()).id;
            switch (op.kind) {
              case "add":
                for (const list of op.lists)
                  for (const email of op.emails) model.get(list)!.add(email);
                break;
              case "remove":
                for (const list of op.lists)
                  for (const email of op.emails) model.get(list)!.delete(email);
                break;
              case "clear":
                for (const list of op.lists) model.get(list)!.clear();
                break;
              case "export":
                expectedExports.push([id, [...model.get(op.list)!].sort()]);
                break;
            }
            server.control.advance(pause);
          }
          server.control.runJobs();
          for (const list of LISTS)
            expect(server.control.members(list).map((member) => member.email)).toEqual(
              [...model.get(list)!].sort(),
            );
          const everywhere = new Set(LISTS.flatMap((list) => [...model.get(list)!]));
          const added = new Set(run.flatMap(([op]) => (op.kind === "add" ? op.emails : [])));
          expect(server.control.members("removed").map((member) => member.email)).toEqual(
            [...added].filter((email) => !everywhere.has(email)).sort(),
          );
          for (const [id, emails] of expectedExports) {
            const file = await (await get(server, `/activities/${id}.csv`)).text();
            expect(file).toBe(["EMAIL ADDRESS", ...emails, ""].join("\n"));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
