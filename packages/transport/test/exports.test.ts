import { afterAll, describe, expect, it } from "vitest";
import { InvalidRequestError } from "../src/mod.ts";
import { expectNoSecretsIn, failure, seenErrors, setUp } from "./_helpers.ts";

afterAll(() => expectNoSecretsIn(seenErrors));

describe("exports against the fake server", () => {
  it("exportContacts() sends every option of an export, in the seed's order", async () => {
    const { client, server } = setUp();
    await client.activities.exportContacts({
      list: "VIP customers",
      fileType: "TXT",
      columns: ["first name", "LAST NAME"],
      includeDate: true,
      includeSource: true,
      includeListName: true,
      sortBy: "DATE_DESC",
    });
    expect(server.control.requests().at(-1)!.params).toEqual([
      ["activityType", "EXPORT_CONTACTS"],
      ["fileType", "TXT"],
      ["exportOptDate", "true"],
      ["exportOptSource", "true"],
      ["exportListName", "true"],
      ["sortBy", "DATE_DESC"],
      ["columns", "EMAIL ADDRESS"],
      ["columns", "FIRST NAME"],
      ["columns", "LAST NAME"],
      ["listId", "http://api.constantcontact.com/ws/customers/joesflowers/lists/2"],
    ]);
  });

  it("refuses an unknown column before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(
      client.activities.exportContacts({ list: 2, columns: ["FIRST NAM"] }),
    );
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("creates, waits for and downloads an export as a stream, with the server's exact bytes", async () => {
    const { client, server } = setUp({ clock: "manual", jobDelay: 1_000 });
    server.control.addContacts([
      { email: "b@example.com", fields: { "FIRST NAME": "Bea" }, lists: [3] },
      { email: "a@example.com", fields: { "FIRST NAME": "Al" }, lists: [3] },
    ]);
    const created = await client.activities.exportContacts({ list: 3, columns: ["FIRST NAME"] });
    const early = await failure(client.activities.downloadExport(created));
    expect(InvalidRequestError.isInstance(early)).toBe(true);
    expect(early.message).toMatch(/^Export ".+" is not complete: its status is PENDING/);
    const { activity } = await client.activities.wait(created);
    const stream = await client.activities.downloadExport(activity);
    const text = await new Response(stream).text();
    expect(text).toBe(server.control.exportFile(created.id));
    expect(text.split(/\r?\n/)[1]).toMatch(/^a@example\.com/);
  });

  it("reads a completed export as rows with core's reader", async () => {
    const { client, server } = setUp();
    server.control.addContacts([
      { email: "c@example.com", fields: { "LAST NAME": "Cole" }, lists: [4] },
    ]);
    const created = await client.activities.exportContacts({
      list: "Wedding florals",
      columns: ["LAST NAME"],
    });
    await client.activities.wait(created);
    const table = await client.activities.readExport(created.id);
    expect(table.header.columns.slice(0, 2)).toEqual(["EMAIL ADDRESS", "LAST NAME"]);
    const rows = [];
    for await (const row of table.rows) rows.push(row.fields.slice(0, 2));
    expect(rows).toEqual([["c@example.com", "Cole"]]);
  });

  it("refuses to download an activity that is not an export", async () => {
    const { client } = setUp();
    const created = await client.activities.clearLists([1]);
    const error = await failure(client.activities.downloadExport(created.id));
    expect(error.message).toMatch(/is not an export/);
  });
});
