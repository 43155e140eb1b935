// What the client accepts and refuses before any request, as a QA pass found it: system list ids,
// export file URIs, upper-case activity ids, empty list arrays and system lists for adds/removes.
import { afterAll, describe, expect, it } from "vitest";
import { InvalidRequestError } from "../src/mod.ts";
import { expectNoSecretsIn, failure, listOf, seenErrors, setUp } from "./_helpers.ts";

afterAll(() => expectNoSecretsIn(seenErrors));

const SYSTEM = (id: string) =>
  `http://api.constantcontact.com/ws/customers/joesflowers/lists/${id}`;
const CSV = "EMAIL ADDRESS,FIRST NAME\nann@example.com,Ann\nbob@example.com,Bob\n";

describe("client.lists.get() with a system list", () => {
  it("reads do-not-mail, active and removed by id (any case) or URI, as the server serves them", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const dnm = await client.lists.get("do-not-mail");
    expect(dnm.uri).toBe(SYSTEM("do-not-mail"));
    expect((await client.lists.get("Active")).uri).toBe(SYSTEM("active"));
    expect((await client.lists.get(SYSTEM("removed"))).uri).toBe(SYSTEM("removed"));
    expect(server.control.requests().map((request) => request.path)).toEqual([
      "/ws/customers/joesflowers/lists/do-not-mail",
      "/ws/customers/joesflowers/lists/active",
      "/ws/customers/joesflowers/lists/removed",
    ]);
  });

  it("still refuses a text that is no list id, before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(client.lists.get("VIP customers"));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /expected a list id \(a number, active, do-not-mail or removed\) or URI/,
    );
    expect(server.control.requests()).toHaveLength(0);
  });
});

describe("exports named by their file", () => {
  it("downloadExport() and readExport() take the file's URI (FileName, edit-media) or its name", async () => {
    const { client, server } = setUp();
    server.control.addContacts([{ email: "c@example.com", fields: {}, lists: [4] }]);
    const created = await client.activities.exportContacts({ list: 4, fileType: "TXT" });
    const { activity } = await client.activities.wait(created);
    expect(activity.fileName).toMatch(/\/activities\/a07e[a-z0-9]{15}\.txt$/);
    const expected = server.control.exportFile(created.id);
    const byFileName = await new Response(
      await client.activities.downloadExport(activity.fileName),
    ).text();
    expect(byFileName).toBe(expected);
    const table = await client.activities.readExport(activity.editMediaLink!);
    const rows = [];
    for await (const row of table.rows) rows.push(row.fields[0]);
    expect(rows).toEqual(["c@example.com"]);
    const bare = await client.activities.downloadExport(`${created.id}.txt`);
    expect(await new Response(bare).text()).toBe(expected);
  });

  it("refuses an export file of another account before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(
      client.activities.downloadExport(
        "http://api.constantcontact.com/ws/customers/other/activities/a07e1ffaxjyffmvqgiz.csv",
      ),
    );
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/belongs to the account "other"/);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("get() does not take an export file for its activity", async () => {
    const { client } = setUp();
    const error = await failure(client.activities.get("a07e1ffaxjyffmvqgiz.csv"));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/downloadExport\(\)/);
  });
});

describe("activity ids in upper case", () => {
  it("get() and wait() read an id or URI whatever its case (ids are lower-case in the API)", async () => {
    const { client, server } = setUp();
    const created = await client.activities.clearLists([1]);
    server.control.clearRequests();
    expect((await client.activities.get(created.id.toUpperCase())).id).toBe(created.id);
    const uri = `https://api.constantcontact.com/ws/customers/joesflowers/activities/${created.id.toUpperCase()}`;
    expect((await client.activities.get(uri)).id).toBe(created.id);
    expect(server.control.requests().map((request) => request.path)).toEqual([
      `/ws/customers/joesflowers/activities/${created.id}`,
      `/ws/customers/joesflowers/activities/${created.id}`,
    ]);
    expect((await client.activities.wait(created.id.toUpperCase())).outcome).toBe("complete");
  });
});

describe("lists refused before any request", () => {
  it("importContacts() refuses no list before reading the contacts, as addContacts() does", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    let pulled = false;
    const contacts = (async function* () {
      pulled = true;
      yield CSV;
    })();
    const error = await failure(client.activities.importContacts(contacts, { lists: [] }));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Missing parameter "lists"/);
    expect(error.diagnostics[0].parameter).toBe("lists");
    expect(pulled).toBe(false);
    const add = await failure(client.activities.addContacts(CSV, { lists: [] }));
    expect(add.message).toMatch(/Missing parameter "lists"/);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("addContacts(), removeContacts() and importContacts() refuse a system list before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const cases = [
      () => client.activities.addContacts(CSV, { lists: ["do-not-mail"] }),
      () => client.activities.addContacts(CSV, { lists: [2, SYSTEM("active")] }),
      () => client.activities.removeContacts(CSV, { lists: ["removed"] }),
      () => client.activities.removeContacts(CSV, { lists: [SYSTEM("do-not-mail")] }),
      () => client.activities.importContacts(CSV, { lists: ["do-not-mail"] }),
      () =>
        client.activities.importContacts(CSV, {
          lists: [SYSTEM("removed")],
          activityType: "REMOVE_CONTACTS_FROM_LISTS",
        }),
    ];
    for (const run of cases) {
      const error = await failure(run());
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/numbered lists, not system lists/);
      expect(error.diagnostics.some((d: { parameter?: string }) => d.parameter === "lists")).toBe(
        true,
      );
    }
    expect(server.control.requests()).toHaveLength(0);
  });

  it("a system list reached by its name is refused before any create", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(client.activities.addContacts(CSV, { lists: ["Do Not Mail"] }));
    expect(error.message).toMatch(/numbered lists, not system lists/);
    expect(server.control.requests().filter((request) => request.method === "POST")).toEqual([]);
  });

  it("clearLists([]) is refused before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(client.activities.clearLists([]));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/Missing parameter "lists"/);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("adds to a numbered list still go through", async () => {
    const { client } = setUp();
    const created = await client.activities.addContacts(CSV, { lists: [listOf(2)] });
    expect((await client.activities.wait(created)).outcome).toBe("complete");
  });
});

describe("rows of empty cells (ADR 0121)", () => {
  it("a spreadsheet's trailing ,,, rows are skipped by the client and the server alike, lines kept", async () => {
    const { client } = setUp();
    const csv =
      "EMAIL ADDRESS,FIRST NAME,CITY\nann@example.com,Ann,Oslo\n,,\nnot-an-address,Bob,\n,,\n,,\n";
    const created = await client.activities.addContacts(csv, { lists: [2] });
    const { activity } = await client.activities.wait(created);
    expect(activity.errors.map((error) => [error.line, error.message])).toEqual([
      [4, 'Invalid email address "not-an-address"'],
    ]);
    const result = await client.activities.importContacts(csv, { lists: [2] });
    expect(result.rowCount).toBe(2);
    expect(result.errors.map((error) => error.line)).toEqual([4]);
  });
});
