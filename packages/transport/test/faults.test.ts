import { afterAll, describe, expect, it } from "vitest";
import {
  NetworkError,
  RateLimitedError,
  ResponseLostError,
  ServerError,
  TimeoutError,
} from "../src/mod.ts";
import { expectNoSecretsIn, failure, seenErrors, setUp } from "./_helpers.ts";

afterAll(() => expectNoSecretsIn(seenErrors));

const POST = "POST /ws/customers/:username/activities";
const GET_LISTS = "GET /ws/customers/:username/lists";
const GET_LIST = "GET /ws/customers/:username/lists/:id";

describe("fault injection against the fake server", () => {
  it("a GET answered 429 with Retry-After is retried no sooner than asked", async () => {
    const { client, server, clock } = setUp();
    server.control.addFault({ route: GET_LISTS, kind: "rate-limit", retryAfter: 7, times: 2 });
    const lists = [];
    for await (const list of client.lists.list()) lists.push(list);
    expect(lists.length).toBeGreaterThan(3);
    expect(clock.sleeps).toHaveLength(2);
    for (const sleep of clock.sleeps) expect(sleep).toBeGreaterThanOrEqual(7_000);
  });

  it("a GET that keeps answering 429 ends in RateLimitedError with retryAfter in ms", async () => {
    const { client, server } = setUp({}, { retry: { limit: 2 } });
    server.control.addFault({ route: GET_LISTS, kind: "rate-limit", retryAfter: 3 });
    const error = await failure(client.lists.findByName("VIP customers"));
    expect(RateLimitedError.isInstance(error)).toBe(true);
    expect(error.retryAfter).toBe(3_000);
    expect(error.status).toBe(429);
  });

  it("a GET answered 503 is retried with growing backoff until it succeeds", async () => {
    const { client, server, clock } = setUp();
    server.control.addFault({ route: GET_LISTS, kind: "status", status: 503, times: 3 });
    expect((await client.lists.findByName("VIP customers")).id).toBe("2");
    expect(clock.sleeps).toHaveLength(3);
    expect(clock.sleeps[2]!).toBeGreaterThan(clock.sleeps[0]!);
  });

  it("a dropped GET is retried, and a GET that keeps dropping ends in NetworkError", async () => {
    const { client, server } = setUp({}, { retry: { limit: 1 } });
    server.control.addFault({ route: GET_LIST, kind: "drop", times: 1 });
    expect((await client.lists.get(2)).name).toBe("VIP customers");
    server.control.addFault({ route: GET_LIST, kind: "drop" });
    const error = await failure(client.lists.get(2));
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.method).toBe("GET");
  });

  it("a POST answered 429 is sent again after Retry-After: one activity", async () => {
    const { client, server, clock } = setUp();
    server.control.addFault({ route: POST, kind: "rate-limit", retryAfter: 2, times: 1 });
    const created = await client.activities.addContacts("EMAIL ADDRESS\na@example.com\n", {
      lists: [2],
    });
    expect(created.attempts).toBe(2);
    expect(clock.sleeps[0]!).toBeGreaterThanOrEqual(2_000);
    expect(server.control.activities()).toHaveLength(1);
  });

  it("a POST dropped before the server handled it is sent again: one activity", async () => {
    const { client, server } = setUp();
    server.control.addFault({ route: POST, kind: "drop", times: 1 });
    const created = await client.activities.addContacts("EMAIL ADDRESS\na@example.com\n", {
      lists: [2],
    });
    expect(created).toMatchObject({ attempts: 2, recovered: false });
    expect(server.control.activities().map((activity) => activity.id)).toEqual([created.id]);
  });

  it("a POST answered 503 by a proxy is sent again: one activity", async () => {
    const { client, server } = setUp();
    server.control.addFault({ route: POST, kind: "status", status: 503, times: 1 });
    const created = await client.activities.exportContacts({ list: 2 });
    expect(created.attempts).toBe(2);
    expect(server.control.activities()).toHaveLength(1);
  });

  it("a POST whose response was lost after the job was created is found, not doubled", async () => {
    const { client, server } = setUp();
    server.control.addFault({ route: POST, kind: "lose-response", times: 1 });
    const created = await client.activities.addContacts("EMAIL ADDRESS\na@example.com\n", {
      lists: [2],
    });
    expect(created).toMatchObject({ attempts: 1, recovered: true });
    expect(server.control.activities().map((activity) => activity.id)).toEqual([created.id]);
    expect((await client.activities.wait(created)).outcome).toBe("complete");
  });

  it("a lost clear is found, not doubled; with two candidates it throws ResponseLostError instead of clearing again", async () => {
    const { client, server } = setUp();
    server.control.addFault({ route: POST, kind: "lose-response", times: 1 });
    const found = await client.activities.clearLists([3]);
    expect(found.recovered).toBe(true);
    expect(server.control.activities()).toHaveLength(1);

    // Another process clears a list, then our clear's answer is lost: two candidates.
    await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa("demo-key%joesflowers:demo-password")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: `activityType=CLEAR_CONTACTS_FROM_LISTS&lists=${encodeURIComponent("http://api.constantcontact.com/ws/customers/joesflowers/lists/4")}`,
    });
    server.control.addFault({ route: POST, kind: "lose-response", times: 1 });
    const error = await failure(client.activities.clearLists([5]));
    expect(ResponseLostError.isInstance(error)).toBe(true);
    expect(error.candidates).toHaveLength(2);
    expect(server.control.activities()).toHaveLength(3);
  });

  it("a POST answered 500 every time ends in ServerError after the retries, without a storm of duplicates", async () => {
    const { client, server } = setUp({}, { retry: { limit: 2 } });
    server.control.addFault({ route: POST, kind: "status", status: 500 });
    const error = await failure(
      client.activities.addContacts("EMAIL ADDRESS\na@example.com\n", { lists: [2] }),
    );
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error.status).toBe(500);
    expect(server.control.requests().filter((request) => request.method === "POST")).toHaveLength(
      3,
    );
    expect(server.control.activities()).toHaveLength(0);
  });

  it("a create that dropped once (it may have arrived) and then found no connection is not said to have created nothing", async () => {
    let posts = 0;
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:45678"), {
      code: "ECONNREFUSED",
    });
    // The fake server's first POST drops; every later POST is refused before connecting.
    let inner: typeof globalThis.fetch | undefined;
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const method = init?.method ?? (input instanceof Request ? input.method : "GET");
      if (method === "POST" && ++posts > 1) throw new TypeError("fetch failed", { cause: refused });
      return inner!(input, init);
    }) as typeof globalThis.fetch;
    const { client: mixed, server } = setUp({}, { retry: { limit: 2 }, fetch });
    inner = server.fetch as typeof globalThis.fetch;
    server.control.addFault({ route: POST, kind: "drop", times: 1 });
    const error = await failure(
      mixed.activities.addContacts("EMAIL ADDRESS\na@example.com\n", { lists: [2] }),
    );
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.notSent).toBe(false);
    expect(error.message).not.toMatch(/nothing was created/);
    // The drop was looked for (one GET of the activities list); the refusals were not.
    expect(server.control.requests().map((request) => request.method)).toEqual(["POST", "GET"]);
    expect(posts).toBe(3);
  });

  it("latency beyond the timeout gives TimeoutError", async () => {
    const { client, server } = setUp({}, { timeout: 30, retry: false });
    server.control.addFault({ route: GET_LIST, kind: "latency", latencyMs: 2_000 });
    const error = await failure(client.lists.get(2));
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error.timeout).toBe(30);
  });

  it("latency under the timeout only slows the answer", async () => {
    const { client, server } = setUp({}, { timeout: 5_000 });
    server.control.addFault({ route: GET_LIST, kind: "latency", latencyMs: 20 });
    expect((await client.lists.get(2)).name).toBe("VIP customers");
  });
});
