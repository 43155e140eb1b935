import { afterAll, describe, expect, it } from "vitest";
import { InvalidRequestError, NotFoundError, UnauthorizedError } from "../src/mod.ts";
import { CONTACTS_CSV, expectNoSecretsIn, failure, listOf, seenErrors, setUp } from "./_helpers.ts";

afterAll(() => expectNoSecretsIn(seenErrors));

describe("client.activities against the fake server", () => {
  it("addContacts() sends text urlencoded, and wait() sees the per-line errors as complete-with-errors", async () => {
    const { client, server } = setUp();
    const created = await client.activities.addContacts(CONTACTS_CSV, {
      lists: [2, "Monthly newsletter"],
    });
    expect(created.recovered).toBe(false);
    const request = server.control.requests().at(-1)!;
    expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request.params!.filter(([name]) => name === "lists").map(([, value]) => value)).toEqual([
      listOf(2),
      listOf(3),
    ]);
    const { outcome, activity } = await client.activities.wait(created);
    expect(outcome).toBe("complete-with-errors");
    expect(activity.type).toBe("ADD_CONTACT_DETAIL");
    expect(activity.errors.map((error) => error.line)).toEqual([3, 4]);
    expect(server.control.members(2).map((member) => member.email)).toEqual([
      "wstest3@example.com",
      "wstest5@example.com",
    ]);
  });

  it("addContacts() takes rows and records as well as text", async () => {
    const { client, server } = setUp();
    const fromRows = await client.activities.addContacts(
      { columns: ["EMAIL ADDRESS", "FIRST NAME"], rows: [["ann@example.com", "Ann, Jr."]] },
      { lists: [4] },
    );
    const fromRecords = await client.activities.addContacts(
      [{ "EMAIL ADDRESS": "bob@example.com", "LAST NAME": "Smith" }],
      { lists: [4] },
    );
    const results = await client.activities.wait([fromRows, fromRecords]);
    expect(results.map((result) => result.outcome)).toEqual(["complete", "complete"]);
    expect(server.control.contact("ann@example.com")?.fields["FIRST NAME"]).toBe("Ann, Jr.");
    expect(server.control.members(4).map((member) => member.email)).toEqual([
      "ann@example.com",
      "bob@example.com",
    ]);
  });

  it("addContacts() sends a File as multipart, under its own name", async () => {
    const { client, server } = setUp();
    const file = new File(["EMAIL ADDRESS\ncarol@example.com\n"], "carol.csv", {
      type: "text/csv",
    });
    const created = await client.activities.addContacts(file, { lists: [1] });
    const request = server.control.requests().at(-1)!;
    expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.files?.[0]?.fileName).toBe("carol.csv");
    expect((await client.activities.wait(created)).outcome).toBe("complete");
    expect(server.control.activity(created.id)?.fileName).toBe("carol.csv");
  });

  it("addContacts() always sends Excel data as multipart, even when text is asked for by default", async () => {
    const { client, server } = setUp();
    const workbook = new File([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0])], "contacts.XLS");
    await failure(client.activities.addContacts(workbook, { lists: [1] }));
    const request = server.control.requests().at(-1)!;
    expect(request.contentType).toMatch(/^multipart\/form-data/);
    expect(request.files?.[0]?.contentType).toBe("application/vnd.ms-excel");
    const refused = await failure(
      client.activities.addContacts(workbook, { lists: [1], encoding: "urlencoded" }),
    );
    expect(InvalidRequestError.isInstance(refused)).toBe(true);
  });

  it("addContacts() refuses a bad header before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(
      client.activities.addContacts("EMAIL,FIRST NAM\na@example.com,A\n", { lists: [2] }),
    );
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(
      error.diagnostics.some((d: { message: string }) => d.message.includes('"FIRST NAM"')),
    ).toBe(true);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("addContacts() refuses more than 1.9 MB for one activity and points to importContacts()", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const big = `EMAIL ADDRESS\n${Array.from({ length: 90_000 }, (_, i) => `someone${i}@example.com`).join("\n")}`;
    const error = await failure(client.activities.addContacts(big, { lists: [2] }));
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/importContacts\(\)/);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("removeContacts() takes contacts off the lists", async () => {
    const { client, server } = setUp();
    server.control.addContacts([
      { email: "a@example.com", lists: [2, 3] },
      { email: "b@example.com", lists: [2] },
    ]);
    const created = await client.activities.removeContacts("EMAIL ADDRESS\na@example.com\n", {
      lists: ["VIP customers"],
    });
    const { activity } = await client.activities.wait(created);
    expect(activity.type).toBe("REMOVE_CONTACTS_FROM_LISTS");
    expect(server.control.members(2).map((member) => member.email)).toEqual(["b@example.com"]);
    expect(server.control.members(3).map((member) => member.email)).toEqual(["a@example.com"]);
  });

  it("clearLists() clears a numbered list and refuses system lists before any request", async () => {
    const { client, server } = setUp();
    server.control.addContacts([{ email: "a@example.com", lists: [5] }]);
    server.control.clearRequests();
    for (const list of ["do-not-mail", "Active", listOf(2).replace("/2", "/removed")]) {
      const error = await failure(client.activities.clearLists([5, list]));
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(/^Invalid lists to clear: system lists cannot be cleared/);
    }
    expect(server.control.requests()).toHaveLength(0);
    const created = await client.activities.clearLists(["Seasonal promotions"]);
    expect((await client.activities.wait(created)).activity.type).toBe("CLEAR_CONTACTS_FROM_LISTS");
    expect(server.control.members(5)).toEqual([]);
  });

  it("clearLists() refuses a numbered list bearing a named list's name, before any create", async () => {
    const { client, server } = setUp({
      seed: {
        lists: [
          { id: 9, name: "Active" },
          { id: 10, name: "do-not-mail" },
          { id: 11, name: "Spring promo" },
        ],
      },
    });
    server.control.clearRequests();
    for (const list of [9, 10, "10", listOf(10)]) {
      const error = await failure(client.activities.clearLists([11, list]));
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect(error.message).toMatch(
        /^Invalid lists to clear: the lists named .* cannot be cleared: /,
      );
      expect(error.message).toContain(`"${listOf(Number(String(list).replace(/.*\//, "")))}"`);
    }
    expect(server.control.requests().filter((request) => request.method === "POST")).toEqual([]);
    const created = await client.activities.clearLists([11]);
    expect((await client.activities.wait(created)).outcome).toBe("complete");
  });

  it("get() reads an activity by id or URI, and NotFoundError for an unknown one", async () => {
    const { client } = setUp();
    const created = await client.activities.clearLists([1]);
    expect((await client.activities.get(created.id)).id).toBe(created.id);
    expect((await client.activities.get(created.uri)).id).toBe(created.id);
    const error = await failure(client.activities.get("a07e1ffaxjyffmvqgiz"));
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error.status).toBe(404);
  });

  it("list() follows rel=next over 120 activities, newest first, each once", async () => {
    const { client } = setUp();
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push((await client.activities.clearLists([1 + (i % 5)])).id);
    const listed: string[] = [];
    for await (const activity of client.activities.list()) listed.push(activity.id);
    expect(listed).toHaveLength(120);
    expect(new Set(listed).size).toBe(120);
    expect(listed).toEqual([...ids].reverse());
  });

  it("a wrong password gives UnauthorizedError, and the request is not retried", async () => {
    const { server, client } = setUp({}, { password: "wrong-password" });
    server.control.clearRequests();
    const error = await failure(client.lists.get(1));
    expect(UnauthorizedError.isInstance(error)).toBe(true);
    expect(server.control.requests()).toHaveLength(1);
  });

  it("an access token works as well as the API key", async () => {
    const { client } = setUp({}, {
      apiKey: undefined,
      password: undefined,
      accessToken: "demo-token",
    } as never);
    expect((await client.lists.get(2)).name).toBe("VIP customers");
  });
});
