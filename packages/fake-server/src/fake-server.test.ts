import { describe, expect, it } from "vitest";
import { AUTH, basicAuth, children, childText, get, parseXml } from "./_test_helpers.ts";
import { DEFAULT_ACCOUNT, DEFAULT_LISTS } from "./accounts.ts";
import { createFakeServer } from "./fake-server.ts";

describe("createFakeServer(): accounts and auth", () => {
  it("answers 401 with a Basic challenge when credentials are missing or wrong", async () => {
    const server = createFakeServer();
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basicAuth({ ...DEFAULT_ACCOUNT, password: "wrong" }) },
      { authorization: "Bearer nope" },
    ];
    for (const headers of attempts) {
      const response = await get(server, "/activities", headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm="[^"]+"$/);
      const text = await response.text();
      expect(text).not.toContain("demo-password");
    }
  });

  it("says a Basic user must be {API key}%{username} when it has no %, without echoing it", async () => {
    const server = createFakeServer();
    const keyOnly = `Basic ${btoa(`${DEFAULT_ACCOUNT.apiKey}:${DEFAULT_ACCOUNT.password}`)}`;
    const response = await get(server, "/lists", { authorization: keyOnly });
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).toBe('Unauthorized: the Basic user must be {API key}%{username} (it has no "%")');
    expect(text).not.toContain(DEFAULT_ACCOUNT.apiKey);
    const wrong = await get(server, "/lists", {
      authorization: basicAuth({ ...DEFAULT_ACCOUNT, password: "wrong" }),
    });
    expect(await wrong.text()).toBe("Unauthorized: the credentials are not valid");
  });

  it("takes a seed's credentials for an existing account, and refuses a seed of the wrong shape", async () => {
    const server = createFakeServer({
      seed: {
        accounts: [{ username: "joesflowers", apiKey: "k2", password: "p2", accessToken: "t2" }],
      },
    });
    const seeded = basicAuth({ username: "joesflowers", apiKey: "k2", password: "p2" });
    expect((await get(server, "/lists", { authorization: seeded })).status).toBe(200);
    expect((await get(server, "/lists", { authorization: "Bearer t2" })).status).toBe(200);
    expect((await get(server, "/lists")).status).toBe(401);
    expect((await get(server, "/lists", { authorization: "Bearer demo-token" })).status).toBe(401);
    expect(server.control.lists().map((list) => list.name)).toEqual(
      DEFAULT_LISTS.map((list) => list.name),
    );
    expect(() => createFakeServer({ seed: { accounts: 5 as unknown as [] } })).toThrow(
      'Invalid seed "accounts": expected an array',
    );
    expect(() => createFakeServer({ seed: [] as unknown as object })).toThrow(
      "Invalid seed: expected an object with accounts, lists or contacts",
    );
  });

  it("answers 403 when valid credentials ask for another account's path", async () => {
    const server = createFakeServer({
      seed: { accounts: [{ username: "rosesandco", apiKey: "rk", password: "rp" }] },
    });
    const response = await server.fetch(`${server.baseUrl}/rosesandco/lists`, { headers: AUTH });
    expect(response.status).toBe(403);
    const own = await server.fetch(`${server.baseUrl}/rosesandco/lists`, {
      headers: {
        authorization: basicAuth({ username: "rosesandco", apiKey: "rk", password: "rp" }),
      },
    });
    expect(own.status).toBe(200);
  });

  it("accepts Bearer tokens and a lower-cased username in the path", async () => {
    const server = createFakeServer();
    const response = await server.fetch(`${server.baseUrl}/JOESFLOWERS/lists`, {
      headers: { authorization: `Bearer ${DEFAULT_ACCOUNT.accessToken}` },
    });
    expect(response.status).toBe(200);
  });

  it("never records credentials in the request log", async () => {
    const server = createFakeServer();
    await get(server, "/lists");
    await get(server, "/lists", { authorization: "Bearer demo-token" });
    const log = JSON.stringify(server.control.requests());
    for (const secret of ["demo-password", "demo-token", "demo-key", btoa("demo-key")])
      expect(log).not.toContain(secret);
    expect(server.control.requests().map((request) => [request.auth, request.username])).toEqual([
      ["basic", "joesflowers"],
      ["bearer", "joesflowers"],
    ]);
  });
});

describe("createFakeServer(): service document and lists", () => {
  it("serves the service document at the account's base URI, with and without a slash", async () => {
    const server = createFakeServer();
    for (const path of ["", "/"]) {
      const response = await get(server, path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/atomsvc\+xml/);
      const xml = await response.text();
      const service = parseXml(xml).documentElement!;
      expect(service.localName).toBe("service");
      const hrefs = children(children(service, "workspace")[0]!, "collection").map((element) =>
        element.getAttribute("href"),
      );
      expect(hrefs).toEqual([
        "/ws/customers/joesflowers/lists",
        "/ws/customers/joesflowers/activities",
      ]);
    }
  });

  it("lists the system lists first, then lists 1–5 with their names and counts", async () => {
    const server = createFakeServer({
      seed: {
        contacts: [
          { email: "a@example.com", lists: [2] },
          { email: "b@example.com", lists: [2, 3] },
        ],
      },
    });
    const response = await get(server, "/lists");
    expect(response.status).toBe(200);
    const feed = parseXml(await response.text()).documentElement!;
    const lists = children(feed, "entry").map((entry) => {
      const list = children(children(entry, "content")[0]!, "ContactList")[0]!;
      return [list.getAttribute("id"), childText(list, "Name"), childText(list, "ContactCount")];
    });
    expect(lists.slice(0, 3).map((list) => list[0])).toEqual([
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/active",
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/do-not-mail",
      "http://api.constantcontact.com/ws/customers/joesflowers/lists/removed",
    ]);
    expect(lists.slice(3)).toEqual(
      DEFAULT_LISTS.map((list) => [
        `http://api.constantcontact.com/ws/customers/joesflowers/lists/${list.id}`,
        list.name,
        list.id === 2 ? "2" : list.id === 3 ? "1" : "0",
      ]),
    );
    const rels = children(feed, "link").map((link) => link.getAttribute("rel"));
    expect(rels).toContain("first");
    expect(rels).toContain("current");
  });

  it("serves one list with a source, its members, and 404 for an unknown list", async () => {
    const server = createFakeServer({
      seed: {
        contacts: [
          {
            email: "fred@example.com",
            fields: { "FIRST NAME": "Fred", "LAST NAME": "Test" },
            lists: [2],
          },
        ],
      },
    });
    const entry = parseXml(await (await get(server, "/lists/2")).text()).documentElement!;
    expect(childText(entry, "title")).toBe("VIP customers");
    expect(children(entry, "source")).toHaveLength(1);
    const members = parseXml(await (await get(server, "/lists/2/members")).text()).documentElement!;
    const member = children(children(children(members, "entry")[0]!, "content")[0]!)[0]!;
    expect([childText(member, "EmailAddress"), childText(member, "Name")]).toEqual([
      "fred@example.com",
      "Test, Fred",
    ]);
    expect((await get(server, "/lists/99")).status).toBe(404);
    expect(server.control.lists()[1]).toEqual({
      id: 2,
      uri: "http://api.constantcontact.com/ws/customers/joesflowers/lists/2",
      name: "VIP customers",
      contactCount: 1,
    });
    const create = await server.fetch(`${server.baseUrl}/joesflowers/lists`, {
      method: "POST",
      headers: AUTH,
    });
    expect([create.status, create.headers.get("allow")]).toEqual([405, "GET"]);
    expect((await get(server, "/lists/99/members")).status).toBe(404);
  });
});

describe("createFakeServer(): activities without a POST", () => {
  it("answers 405 with Allow: GET to PUT and DELETE of an activity, in the API's words", async () => {
    const server = createFakeServer();
    const url = `${server.baseUrl}/joesflowers/activities/a07e1ffaxjyffmvqgiz`;
    const put = await server.fetch(url, { method: "PUT", headers: AUTH, body: "x" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET");
    expect(await put.text()).toBe("Activity updates are not currently permitted");
    const del = await server.fetch(url, { method: "DELETE", headers: AUTH });
    expect(del.status).toBe(405);
    expect(await del.text()).toBe("Activity deletes are not currently permitted");
  });

  it("answers 405 with the resource's Allow to every method it does not take, OPTIONS included, on every API resource", async () => {
    const server = createFakeServer();
    const created = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
      body: "activityType=CLEAR_CONTACTS_FROM_LISTS&lists=http%3A%2F%2Fapi.constantcontact.com%2Fws%2Fcustomers%2Fjoesflowers%2Flists%2F4",
    });
    const id = created.headers.get("location")!.split("/").pop()!;
    const cases: [path: string, methods: string[], allow: string][] = [
      ["", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"], "GET"],
      ["/", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"], "GET"],
      ["/activities", ["OPTIONS"], "GET, POST"],
      [`/activities/${id}`, ["OPTIONS"], "GET"],
      ["/lists", ["OPTIONS"], "GET"],
      ["/lists/2", ["OPTIONS"], "GET"],
      ["/lists/2/members", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"], "GET"],
    ];
    const seen: string[] = [];
    for (const [path, methods, allow] of cases)
      for (const method of methods) {
        const response = await server.fetch(`${server.baseUrl}/joesflowers${path}`, {
          method,
          headers: AUTH,
        });
        seen.push(`${method} ${path} ${response.status} ${response.headers.get("allow")}`);
        await response.body?.cancel();
        expect(seen.at(-1)).toBe(`${method} ${path} 405 ${allow}`);
      }
    // Without credentials the challenge still comes first, as for the other methods.
    const anonymous = await server.fetch(`${server.baseUrl}/joesflowers/lists/2/members`, {
      method: "OPTIONS",
    });
    expect(anonymous.status).toBe(401);
  });

  it("answers 404 for an unknown activity and an empty feed with first/current links", async () => {
    const server = createFakeServer();
    expect((await get(server, "/activities/a07e1ffaxjyffmvqgiz")).status).toBe(404);
    const feed = parseXml(await (await get(server, "/activities")).text()).documentElement!;
    expect((await get(server, "/activities/")).status).toBe(200);
    expect(childText(feed, "title")).toBe("Bulk Activity");
    expect(children(feed, "entry")).toHaveLength(0);
    expect(children(feed, "link").map((link) => link.getAttribute("rel"))).toContain("current");
  });
});

describe("createFakeServer(): faults", () => {
  it("rejects the in-process fetch with a TypeError when a fault drops the connection", async () => {
    const server = createFakeServer({ faults: [{ kind: "drop", times: 1 }] });
    await expect(get(server, "/lists")).rejects.toThrow(TypeError);
    expect((await get(server, "/lists")).status).toBe(200);
    expect(server.control.requests().map((request) => [request.status, request.fault])).toEqual([
      [0, "drop"],
      [200, undefined],
    ]);
  });

  it("answers 503, and 429 with Retry-After, by script, through control and /_fake/faults", async () => {
    const server = createFakeServer();
    server.control.addFault({
      route: "GET /ws/customers/:username/lists",
      kind: "status",
      status: 503,
      times: 1,
    });
    const first = await get(server, "/lists");
    expect(first.status).toBe(503);
    const added = await server.fetch("http://fake.ctct.test/_fake/faults", {
      method: "POST",
      body: JSON.stringify({ kind: "rate-limit", retryAfter: 7, times: 1 }),
    });
    expect(added.status).toBe(201);
    const limited = await get(server, "/lists");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await get(server, "/lists")).status).toBe(200);
    const bad = await server.fetch("http://fake.ctct.test/_fake/faults", {
      method: "POST",
      body: JSON.stringify({ kind: "explode" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/kind "explode"/);
  });

  it("answers an injected status with the headers and words the API gives that status (SPEC 1.1, 1.3)", async () => {
    const server = createFakeServer();
    const answer = async (status: number, extra: { retryAfter?: number } = {}) => {
      server.control.addFault({ kind: "status", status, times: 1, ...extra });
      const response = await get(server, "/lists");
      return { status: response.status, headers: response.headers, text: await response.text() };
    };
    const limited = await answer(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.text).toBe("Too Many Requests (injected fault)");
    expect((await answer(429, { retryAfter: 9 })).headers.get("retry-after")).toBe("9");
    const unauthorized = await answer(401);
    expect(unauthorized.headers.get("www-authenticate")).toBe('Basic realm="Constant Contact API"');
    expect(unauthorized.text).toBe("Unauthorized (injected fault)");
    const notAllowed = await answer(405);
    expect(notAllowed.headers.get("allow")).toBe("GET");
    expect((await answer(400)).text).toBe("Bad Request (injected fault)");
    expect((await answer(500)).text).toBe("Server error 500 (injected fault)");
    expect((await answer(503)).text).toBe(
      "Service Unavailable: the server is busy (injected fault)",
    );
    expect((await answer(418)).text).toBe("Client error 418 (injected fault)");
  });

  it("adds latency, and the in-process fetch honours an abort signal meanwhile", async () => {
    const server = createFakeServer({ faults: [{ kind: "latency", latencyMs: 5_000 }] });
    const controller = new AbortController();
    const pending = server.fetch(`${server.baseUrl}/joesflowers/lists`, {
      headers: AUTH,
      signal: controller.signal,
    });
    controller.abort(new DOMException("Timed out", "TimeoutError"));
    await expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
  });
});

describe("createFakeServer(): inspection", () => {
  it("needs no credentials under /_fake and reports health, clock and reset", async () => {
    const server = createFakeServer({ clock: "manual", now: "2026-01-01T00:00:00Z" });
    const origin = "http://fake.ctct.test";
    expect(await (await server.fetch(`${origin}/_fake/health`)).text()).toBe("ok");
    const advanced = await server.fetch(`${origin}/_fake/clock/advance`, {
      method: "POST",
      body: JSON.stringify({ ms: 60_000 }),
    });
    expect(await advanced.json()).toEqual({ now: "2026-01-01T00:01:00.000Z" });
    server.control.addList({ id: 9, name: "Temporary" });
    await server.fetch(`${origin}/_fake/reset`, { method: "POST" });
    expect(server.control.now().toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(() => server.control.members(9)).toThrow(/Unknown list "9"/);
    const seeded = await server.fetch(`${origin}/_fake/seed`, {
      method: "POST",
      body: JSON.stringify({ contacts: [{ email: "x@example.com", lists: [1] }] }),
    });
    expect(seeded.status).toBe(200);
    const accounts = (await (await server.fetch(`${origin}/_fake/accounts`)).json()) as {
      username: string;
      lists: { id: number; contactCount: number }[];
    }[];
    expect(accounts[0]?.username).toBe("joesflowers");
    expect(accounts[0]?.lists[0]).toMatchObject({ id: 1, contactCount: 1 });
    expect(JSON.stringify(accounts)).not.toContain("demo-");
    const members = await server.fetch(`${origin}/_fake/accounts/joesflowers/lists/1/members`);
    expect(((await members.json()) as { email: string }[]).map((member) => member.email)).toEqual([
      "x@example.com",
    ]);
  });

  it("answers 404 in plain text for paths outside the API", async () => {
    const server = createFakeServer();
    const response = await server.fetch("http://fake.ctct.test/nope");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  });
});

describe("createFakeServer(): paging of lists and members", () => {
  it("pages a list's members at 50, newest first, with a next link, and refuses a bad token", async () => {
    const server = createFakeServer();
    server.control.addContacts(
      Array.from({ length: 60 }, (_, index) => ({ email: `m${index}@example.com`, lists: [1] })),
    );
    const first = parseXml(await (await get(server, "/lists/1/members")).text()).documentElement!;
    const emails = (feed: typeof first) =>
      children(feed, "entry").map((entry) =>
        childText(children(children(entry, "content")[0]!)[0]!, "EmailAddress"),
      );
    expect(emails(first)).toHaveLength(50);
    expect(emails(first)[0]).toBe("m59@example.com");
    const next = children(first, "link").find((link) => link.getAttribute("rel") === "next");
    const href = next?.getAttribute("href") ?? "";
    expect(href).toMatch(/^\/ws\/customers\/joesflowers\/lists\/1\/members\?next=\d+$/);
    const second = parseXml(
      await (await get(server, href.replace("/ws/customers/joesflowers", ""))).text(),
    ).documentElement!;
    expect(emails(second)).toEqual(
      Array.from({ length: 10 }, (_, index) => `m${9 - index}@example.com`),
    );
    const badToken = await get(server, "/lists/1/members?next=nope");
    expect([badToken.status, await badToken.text()]).toEqual([
      400,
      'Invalid next token "nope": no such page',
    ]);
    const badListsToken = await get(server, "/lists?next=nope");
    expect(await badListsToken.text()).toBe('Invalid next token "nope": no such page');
  });
});
