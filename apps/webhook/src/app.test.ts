import { describe, expect, it } from "vitest";
import { addPush, LIST, OLD_SECRET, signedRequest, testConfig } from "../test/_harness.ts";
import { createPushId, createWebhookApp } from "./app.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import type { PushStore } from "./store.ts";

function setup(options: { store?: PushStore; now?: () => number } = {}) {
  const store = options.store ?? openSqliteStore(":memory:");
  const app = createWebhookApp({
    config: testConfig(),
    store,
    ...(options.now ? { now: options.now } : {}),
  });
  return { app, store };
}

describe("POST /v1/partners/{partnerId}/pushes", () => {
  it("answers 202 with a push id once the push is stored, and shows its status", async () => {
    const { app, store } = setup();
    const response = await app.request(
      await signedRequest(addPush(["a@example.com", "b@example.com"])),
    );
    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; status: string };
    expect(body).toEqual({ id: expect.stringMatching(/^psh_[0-9a-f]{32}$/), status: "accepted" });
    expect(response.headers.get("location")).toBe(`/v1/pushes/${body.id}`);
    expect(await store.readPushContacts(body.id)).toEqual({
      columns: ["EMAIL ADDRESS", "FIRST NAME"],
      rows: [
        ["a@example.com", "Test"],
        ["b@example.com", "Test"],
      ],
      sources: [1, 2],
    });
    const status = await app.request(`/v1/pushes/${body.id}`);
    expect(await status.json()).toMatchObject({
      id: body.id,
      partnerId: "shop",
      status: "accepted",
      account: "joesflowers",
      action: "add",
      lists: [LIST(1)],
      contacts: 2,
    });
    expect((await app.request("/v1/pushes/psh_unknown")).status).toBe(404);
  });

  it("answers a retry with the same webhook id and body with the original answer, adding nothing", async () => {
    const { app, store } = setup();
    const body = addPush(["a@example.com"]);
    const first = await app.request(await signedRequest(body, { id: "msg_retry" }));
    // a retry is signed again, later, possibly with the partner's other secret
    const again = await app.request(
      await signedRequest(body, { id: "msg_retry", secret: OLD_SECRET, now: Date.now() + 60_000 }),
    );
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(await first.json());
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await store.stats(0)).pushes).toBe(1);
    const other = await app.request(
      await signedRequest(addPush(["b@example.com"]), { id: "msg_retry" }),
    );
    expect(other.status).toBe(422);
    expect(((await other.json()) as { error: string }).error).toMatch(
      /^Conflicting webhook id "msg_retry": it was used for another body \(push "psh_[0-9a-f]+"\)$/,
    );
    expect((await store.stats(0)).pushes).toBe(1);
  });

  it("answers 409 to a duplicate that arrives while the first is being stored", async () => {
    const inner = openSqliteStore(":memory:");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const store: PushStore = Object.assign(Object.create(inner), {
      acceptPush: async (push: Parameters<PushStore["acceptPush"]>[0]) => {
        await gate;
        return inner.acceptPush(push);
      },
    });
    const { app } = setup({ store });
    const body = addPush(["a@example.com"]);
    const first = app.request(await signedRequest(body, { id: "msg_twin" }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await app.request(await signedRequest(body, { id: "msg_twin" }));
    expect(second.status).toBe(409);
    expect(second.headers.get("retry-after")).toBe("1");
    release();
    expect((await first).status).toBe(202);
    // once stored, the same request gets the original answer
    expect((await app.request(await signedRequest(body, { id: "msg_twin" }))).status).toBe(202);
    expect((await inner.stats(0)).pushes).toBe(1);
  });

  it("answers 401 alike to a bad signature, a stale timestamp and an unknown partner", async () => {
    const { app, store } = setup();
    const body = addPush(["a@example.com"]);
    const forged = await signedRequest(body, { secret: `whsec_${btoa("not the partner's key")}` });
    const stale = await signedRequest(body, { now: Date.now() - 301_000 });
    const unknown = await signedRequest(body, { partner: "nobody" });
    const unsigned = new Request("http://webhook.test/v1/partners/shop/pushes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    for (const request of [forged, stale, unknown, unsigned]) {
      const response = await app.request(request);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "Invalid signature" });
    }
    expect((await store.stats(0)).pushes).toBe(0);
  });

  it("answers 403 to a list or an account the partner may not touch", async () => {
    const { app } = setup();
    const list = await app.request(await signedRequest(addPush(["a@example.com"], ["1", "7"])));
    expect(list.status).toBe(403);
    expect(await list.json()).toMatchObject({
      error: `Forbidden list "${LIST(7)}": partner "shop" may not touch it`,
    });
    const account = await app.request(
      await signedRequest(addPush(["a@example.com"], [LIST(9, "otheraccount")])),
    );
    expect(account.status).toBe(403);
    expect(await account.json()).toMatchObject({
      error: 'Forbidden account "otheraccount": partner "shop" may not touch it',
    });
  });

  it("answers 400 naming every bad field of a JSON push", async () => {
    const { app } = setup();
    const response = await app.request(
      await signedRequest({
        action: "add",
        lists: ["1", "x/y"],
        contacts: [
          { email: "good@example.com", state: "MA" },
          { email: "not-an-email", first_name: "Ann" },
          { email: "c@example.com", favourite_colour: "blue" },
          { first_name: "No Email" },
          { email: "d@example.com", state: "Test2" },
        ],
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: unknown[] };
    expect(body.error).toBe("Invalid push");
    expect(body.issues).toEqual([
      { field: "lists[1]", message: expect.stringMatching(/^Invalid list URI "x\/y"/) },
      {
        field: "contacts[2].favourite_colour",
        message:
          'Unknown field "favourite_colour": expected one of "email", "first_name", "last_name", "state"',
      },
      { field: "contacts[3]", message: 'Missing field "email"' },
      { field: "contacts[1].email", message: 'Invalid email address "not-an-email"' },
      { field: "contacts[4].state", message: 'Unknown US/Canadian state/prov "Test2"' },
    ]);
    const schema = await app.request(await signedRequest({ action: "merge", lists: [], extra: 1 }));
    expect(schema.status).toBe(400);
    const issues = ((await schema.json()) as { issues: { field?: string }[] }).issues;
    expect(issues.map((i) => i.field).sort()).toEqual(["action", "lists", undefined].sort());
    const broken = await app.request(await signedRequest('{"action": "add", secret'));
    expect(await broken.json()).toEqual({
      error: "Invalid push",
      issues: [{ message: "Invalid JSON: at position 18" }],
    });
  });

  it("takes a CSV push with the action and lists as query parameters, naming bad lines", async () => {
    const { app, store } = setup();
    const csv = 'email,first_name,state\na@example.com,Ann,MA\n"b@example.com","Bo, Jr",ON\n';
    const response = await app.request(
      await signedRequest(csv, { contentType: "text/csv", query: "action=add&lists=1,2" }),
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    expect(await store.readPushContacts(id)).toEqual({
      columns: ["EMAIL ADDRESS", "FIRST NAME", "STATE/PROVINCE (US/CANADA)"],
      rows: [
        ["a@example.com", "Ann", "MA"],
        ["b@example.com", "Bo, Jr", "ON"],
      ],
      sources: [2, 3],
    });
    expect((await store.getPushStatus(id))?.lists).toEqual([LIST(1), LIST(2)]);

    const bad = "email,first_name\na@example.com,Ann\nnope,Bob\n\nc@,Cy\n";
    const rejected = await app.request(
      await signedRequest(bad, { contentType: "text/csv", query: "action=add&lists=1" }),
    );
    expect(rejected.status).toBe(400);
    expect(((await rejected.json()) as { issues: unknown[] }).issues).toEqual([
      { line: 3, field: "EMAIL ADDRESS", message: 'Invalid email address "nope"' },
      { line: 5, field: "EMAIL ADDRESS", message: 'Invalid email address "c@"' },
    ]);
    const noAction = await app.request(
      await signedRequest(csv, { contentType: "text/csv", query: "lists=1" }),
    );
    expect(((await noAction.json()) as { issues: unknown[] }).issues).toEqual([
      {
        field: "action",
        message: 'Missing query parameter "action": expected add, remove or clear',
      },
    ]);
  });

  it("takes a CSV header of column names, any case, from a partner with a field mapping", async () => {
    const { app, store } = setup();
    const push = (csv: string) =>
      signedRequest(csv, { contentType: "text/csv", query: "action=add&lists=1,2" }).then((r) =>
        app.request(r),
      );
    const columns = await push("EMAIL ADDRESS,FIRST NAME\nwh4@example.com,Four\n");
    expect(columns.status).toBe(202);
    const { id } = (await columns.json()) as { id: string };
    expect(await store.readPushContacts(id)).toEqual({
      columns: ["EMAIL ADDRESS", "FIRST NAME"],
      rows: [["wh4@example.com", "Four"]],
      sources: [2],
    });
    // mapped fields and column names mixed, column names in any case
    const mixed = await push("email,Last Name, first  name \nwh5@example.com,Five,Fifi\n");
    expect(mixed.status).toBe(202);
    const mixedId = ((await mixed.json()) as { id: string }).id;
    expect((await store.readPushContacts(mixedId)).columns).toEqual([
      "EMAIL ADDRESS",
      "FIRST NAME",
      "LAST NAME",
    ]);
    // a mapped field and the column it maps to are the same column twice
    const twice = await push("email,EMAIL ADDRESS\nwh6@example.com,wh6@example.com\n");
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { issues: unknown[] }).issues).toEqual([
      { line: 1, field: "EMAIL ADDRESS", message: 'Duplicate column "EMAIL ADDRESS"' },
    ]);
  });

  it("names an unknown CSV header field and the nearest valid names, and nothing it contradicts", async () => {
    const { app } = setup();
    const push = (csv: string, partner = "shop") =>
      signedRequest(csv, {
        contentType: "text/csv",
        query: "action=add&lists=1&account=joesflowers",
        partner,
      }).then((r) => app.request(r));
    const issuesOf = async (response: Response) => {
      expect(response.status).toBe(400);
      return ((await response.json()) as { issues: unknown[] }).issues;
    };
    // the email's field misspelt: named with what was meant, no "Missing column" beside it
    expect(
      await issuesOf(await push("E-mail Address,FIRST NAME\nwh7@example.com,Seven\n")),
    ).toEqual([
      {
        line: 1,
        field: "E-mail Address",
        message: 'Unknown field "E-mail Address": did you mean "email" or "EMAIL ADDRESS"?',
      },
    ]);
    expect(await issuesOf(await push("email,frist_name\nwh7@example.com,Seven\n"))).toEqual([
      {
        line: 1,
        field: "frist_name",
        message: 'Unknown field "frist_name": did you mean "first_name" or "FIRST NAME"?',
      },
    ]);
    // nothing near: the mapped fields are listed; a missing email is still said
    expect(await issuesOf(await push("favourite colour\nblue\n"))).toEqual([
      {
        line: 1,
        field: "favourite colour",
        message:
          'Unknown field "favourite colour": expected a mapped field ("email", "first_name", "last_name", "state") or a contact column name',
      },
      { line: 1, message: 'Missing column "EMAIL ADDRESS"' },
    ]);
    // a partner without a mapping: column names only
    expect(await issuesOf(await push("Email,FIRST NAME\nwh7@example.com,Seven\n", "crm"))).toEqual([
      {
        line: 1,
        field: "Email",
        message: 'Unknown field "Email": did you mean "EMAIL ADDRESS"?',
      },
    ]);
  });

  it("names every bad CSV line, after a row with too many fields too (QA W1)", async () => {
    const { app } = setup();
    const response = await app.request(
      await signedRequest(
        "email,first_name\nc1@example.com,Cee,x\nc2@example.com,a,b\nalso bad,Q\n",
        {
          contentType: "text/csv",
          query: "action=add&lists=1",
        },
      ),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { issues: unknown[] }).issues).toEqual([
      { line: 2, message: "Too many fields: expected 2 (as in the header), got 3" },
      { line: 3, message: "Too many fields: expected 2 (as in the header), got 3" },
      { line: 4, field: "EMAIL ADDRESS", message: 'Invalid email address "also bad"' },
    ]);
  });

  it("names a misspelt JSON field with the partner's nearest field, and nothing it contradicts (QA W4)", async () => {
    const { app } = setup();
    const issuesOf = async (contacts: object[], partner = "shop") => {
      const response = await app.request(
        await signedRequest(
          { action: "add", lists: ["1"], account: "joesflowers", contacts },
          { partner },
        ),
      );
      expect(response.status).toBe(400);
      return ((await response.json()) as { issues: unknown[] }).issues;
    };
    expect(await issuesOf([{ emial: "a@example.com", first_name: "A" }])).toEqual([
      { field: "contacts[0].emial", message: 'Unknown field "emial": did you mean "email"?' },
    ]);
    expect(await issuesOf([{ email: "a@example.com", frist_name: "A" }])).toEqual([
      {
        field: "contacts[0].frist_name",
        message: 'Unknown field "frist_name": did you mean "first_name"?',
      },
    ]);
    // no email at all: the partner's field is named, not the column
    expect(await issuesOf([{ first_name: "A" }])).toEqual([
      { field: "contacts[0]", message: 'Missing field "email"' },
    ]);
    // a partner without a mapping writes column names: the column is named
    expect(await issuesOf([{ "EMAIL ADRESS": "a@example.com" }], "crm")).toEqual([
      {
        field: "contacts[0].EMAIL ADRESS",
        message:
          'Unknown field "EMAIL ADRESS": expected a contact column (did you mean "EMAIL ADDRESS"?)',
      },
    ]);
  });

  it("takes a clear with no contacts and a remove that keeps only the email", async () => {
    const { app, store } = setup();
    const clear = await app.request(await signedRequest({ action: "clear", lists: ["2"] }));
    expect(clear.status).toBe(202);
    const remove = await app.request(
      await signedRequest({
        action: "remove",
        lists: ["2"],
        contacts: [{ email: "a@example.com", first_name: "A" }],
      }),
    );
    const { id } = (await remove.json()) as { id: string };
    expect(await store.readPushContacts(id)).toMatchObject({
      columns: ["EMAIL ADDRESS"],
      rows: [["a@example.com"]],
    });
    const clearWithContacts = await app.request(
      await signedRequest({
        action: "clear",
        lists: ["2"],
        contacts: [{ email: "a@example.com" }],
      }),
    );
    expect(clearWithContacts.status).toBe(400);
  });

  it("answers 413 to a body over the limit, whatever its Content-Length says", async () => {
    const { app, store } = setup();
    const big = JSON.stringify(
      addPush(Array.from({ length: 3000 }, (_, i) => `user${i}@example.com`)),
    );
    expect(big.length).toBeGreaterThan(64 * 1024);
    // declared
    const declared = await signedRequest(big);
    expect((await app.request(declared)).status).toBe(413);
    // streamed with no length (chunked)
    const chunks = [
      new TextEncoder().encode(big.slice(0, 40_000)),
      new TextEncoder().encode(big.slice(40_000)),
    ];
    const streamed = (lie?: string) =>
      new Request("http://webhook.test/v1/partners/shop/pushes", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(lie ? { "content-length": lie } : {}),
        },
        body: new ReadableStream({
          pull(controller) {
            const chunk = chunks.shift();
            if (chunk) controller.enqueue(chunk);
            else controller.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
    const chunked = await app.request(streamed());
    expect(chunked.status).toBe(413);
    chunks.push(
      new TextEncoder().encode(big.slice(0, 40_000)),
      new TextEncoder().encode(big.slice(40_000)),
    );
    // a header that says less than is sent
    expect((await app.request(streamed("100"))).status).toBe(413);
    expect((await store.stats(0)).pushes).toBe(0);
  });

  it("answers 429 with Retry-After once the partner is over its rate", async () => {
    let clock = 1_700_000_000_000;
    const { app } = setup({ now: () => clock });
    const push = () =>
      signedRequest(addPush(["a@example.com"]), { partner: "crm", now: clock }).then((r) =>
        app.request(r),
      );
    const push2 = async () => {
      const request = await signedRequest(
        {
          action: "add",
          lists: ["1"],
          account: "joesflowers",
          contacts: [{ "Email Address": "a@example.com" }],
        },
        { partner: "crm", now: clock },
      );
      return app.request(request);
    };
    expect((await push2()).status).toBe(202);
    expect((await push2()).status).toBe(202);
    const limited = await push2();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    clock += 1000;
    expect((await push2()).status).toBe(202);
    expect((await push()).status).toBe(429);
  });

  it("answers 415, naming the accepted types, to any type but JSON or text/csv, after the signature", async () => {
    const { app, store } = setup();
    const csv = "email,first_name\na@example.com,Ann\n";
    const query = "action=add&lists=1";
    for (const contentType of ["text/plain", "text/plain; charset=utf-8", "application/xml", ""]) {
      const response = await app.request(await signedRequest(csv, { contentType, query }));
      expect(response.status).toBe(415);
      const named = contentType.split(";")[0];
      expect(await response.json()).toEqual({
        error: named
          ? `Unsupported content type "${named}": expected application/json (or a +json type) or text/csv`
          : "Missing content type: expected application/json (or a +json type) or text/csv",
      });
    }
    // charset and other parameters, case, and +json types are accepted
    for (const contentType of ["text/csv; charset=utf-8", "Text/CSV", "text/csv;header=present"]) {
      const response = await app.request(await signedRequest(csv, { contentType, query }));
      expect(response.status).toBe(202);
    }
    for (const contentType of [
      "application/json; charset=utf-8",
      "Application/JSON",
      "application/vnd.shop.push+json",
    ]) {
      const response = await app.request(
        await signedRequest(addPush(["a@example.com"]), { contentType }),
      );
      expect(response.status).toBe(202);
    }
    // the signature is checked first: a forged push of any type is 401, never 415
    const forged = await signedRequest(csv, {
      contentType: "text/plain",
      query,
      secret: `whsec_${btoa("not the partner's key")}`,
    });
    expect((await app.request(forged)).status).toBe(401);
    const unknown = await signedRequest(csv, { contentType: "text/plain", partner: "nobody" });
    expect((await app.request(unknown)).status).toBe(401);
    expect((await store.stats(0)).pushes).toBe(6);
  });

  it("answers 415 to another content type and never redirects", async () => {
    const { app } = setup();
    const xml = await app.request(
      await signedRequest("<contacts/>", { contentType: "application/xml" }),
    );
    expect(xml.status).toBe(415);
    for (const path of [
      "/v1/partners/shop/pushes/",
      "/v1/partners/shop/pushes?x=1#",
      "/v1//partners/shop/pushes",
    ]) {
      const response = await app.request(path, { method: "POST" });
      expect([401, 404]).toContain(response.status);
    }
  });
});

describe("GET /healthz, /readyz, /metrics", () => {
  it("answers health, readiness and Prometheus text", async () => {
    let ready = false;
    const store = openSqliteStore(":memory:");
    const app = createWebhookApp({ config: testConfig(), store, ready: () => ready });
    expect(await (await app.request("/healthz")).json()).toEqual({ status: "ok" });
    expect((await app.request("/readyz")).status).toBe(503);
    ready = true;
    expect((await app.request("/readyz")).status).toBe(200);
    await app.request(await signedRequest(addPush(["a@example.com", "b@example.com"])));
    const metrics = await app.request("/metrics");
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('ctct_webhook_pushes_total{partner="shop",outcome="accepted"} 1');
    expect(text).toContain('ctct_webhook_contacts_total{partner="shop"} 2');
    expect(text).toContain("ctct_webhook_queue_contacts 2");
  });
});

describe("createPushId()", () => {
  it("puts the time first, so that later ids sort after earlier ones, and the rest random", () => {
    const first = createPushId(1_764_900_000_000);
    const ids = Array.from({ length: 300 }, (_, i) => createPushId(1_764_900_000_001 + i));
    expect(first).toMatch(/^psh_019aec3cd100[0-9a-f]{20}$/);
    for (const id of ids) expect(id).toMatch(/^psh_[0-9a-f]{32}$/);
    expect([first, ...ids].toSorted()).toEqual([first, ...ids]);
    // within one millisecond the ids differ (80 random bits), across the random pool's refills
    const same = new Set(Array.from({ length: 600 }, () => createPushId(1_764_900_000_000)));
    expect(same.size).toBe(600);
  });
});
