import { afterAll, describe, expect, it } from "vitest";
import {
  AmbiguousListNameError,
  InvalidRequestError,
  ListNotFoundError,
  NotFoundError,
} from "../src/mod.ts";
import { expectNoSecretsIn, failure, listOf, seenErrors, setUp } from "./_helpers.ts";

afterAll(() => expectNoSecretsIn(seenErrors));

describe("client.lists against the fake server", () => {
  it("list() reads the system lists first, then the numbered lists", async () => {
    const { client } = setUp();
    const lists = [];
    for await (const list of client.lists.list()) lists.push(list);
    expect(lists.filter((list) => list.system).map((list) => list.id)).toEqual([
      "active",
      "do-not-mail",
      "removed",
    ]);
    expect(lists.filter((list) => !list.system).map((list) => list.name)).toContain(
      "VIP customers",
    );
  });

  it("get() reads one list by id or URI", async () => {
    const { client } = setUp();
    expect((await client.lists.get(2)).name).toBe("VIP customers");
    expect((await client.lists.get(listOf(3))).name).toBe("Monthly newsletter");
    expect(NotFoundError.isInstance(await failure(client.lists.get(99)))).toBe(true);
  });

  it("findByName() ignores case and extra spaces", async () => {
    const { client } = setUp();
    expect((await client.lists.findByName("  vip   CUSTOMERS ")).uri).toBe(listOf(2));
  });

  it("findByName() names the candidates when two lists share a name", async () => {
    const { client, server } = setUp();
    server.control.addList({ id: 6, name: "VIP Customers" });
    const error = await failure(client.lists.findByName("vip customers"));
    expect(AmbiguousListNameError.isInstance(error)).toBe(true);
    expect(error.candidates).toEqual([listOf(2), listOf(6)]);
    expect(error.message).toContain(`"${listOf(6)}"`);
  });

  it("findByName() suggests close names when none matches", async () => {
    const { client } = setUp();
    const error = await failure(client.lists.findByName("VIP customer"));
    expect(ListNotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toBe('Unknown list "VIP customer": did you mean "VIP customers"?');
  });

  it("resolve() turns an id, a URI, a name or a system list id into the list's URI", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    expect(await client.lists.resolve(2)).toBe(listOf(2));
    expect(
      await client.lists.resolve(
        "https://api.constantcontact.com/ws/customers/joesflowers/lists/4",
      ),
    ).toBe(listOf(4));
    expect(server.control.requests()).toHaveLength(0);
    expect(await client.lists.resolve("Wedding florals")).toBe(listOf(4));
    expect(await client.lists.resolve("do-not-mail")).toBe(
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/do-not-mail",
    );
    expect(await client.lists.resolveAll(["1", "General Interest", "Seasonal promotions"])).toEqual(
      [listOf(1), listOf(5)],
    );
  });

  it("resolve() refuses a list of another account before any request", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    const error = await failure(
      client.lists.resolve("http://api.constantcontact.com/ws/customers/other/lists/2"),
    );
    expect(InvalidRequestError.isInstance(error)).toBe(true);
    expect(server.control.requests()).toHaveLength(0);
  });

  it("resolveAll({ existing: true }) refuses an id or URI the account does not have, reading the lists once", async () => {
    const { client, server } = setUp();
    server.control.clearRequests();
    expect(
      await client.lists.resolveAll(["2", "Wedding florals", "removed"], { existing: true }),
    ).toEqual([listOf(2), listOf(4), `${listOf(1).replace(/1$/, "")}removed`]);
    expect(server.control.requests()).toHaveLength(1);
    for (const missing of [
      "99",
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/77",
    ]) {
      const error = await failure(client.lists.resolveAll(["1", missing], { existing: true }));
      expect(ListNotFoundError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(`Unknown list "${missing}"`);
    }
    // Without the option, ids and URIs still need no request.
    server.control.clearRequests();
    expect(await client.lists.resolveAll(["99"])).toEqual([listOf(99)]);
    expect(server.control.requests()).toHaveLength(0);
  });
});
