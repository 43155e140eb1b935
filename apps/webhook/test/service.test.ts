// The whole service over a real socket: slow clients are cut while real pushes flow, a graceful
// shutdown finishes what is in flight, and nothing secret reaches the logs.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeServer, DEFAULT_ACCOUNT } from "@ctct-bulk/fake-server";
import { afterAll, describe, expect, it } from "vitest";
import { parseWebhookConfig } from "../src/config.ts";
import { startWebhookService } from "../src/service.ts";
import { openSqliteStore } from "../src/sqlite-store.ts";
import { API_KEY, PASSWORD, SECRET, signedRequest } from "./_harness.ts";
import { findLeaks, testLogger } from "./_logs.ts";
import { overLimitAnswers } from "./_raw-request.ts";
import { newPush } from "./_store-contract.ts";

const { logger, path: logPath } = testLogger("service");

function config(overrides: Record<string, unknown> = {}) {
  return parseWebhookConfig({
    listen: { host: "127.0.0.1", port: 0 },
    limits: { headersTimeoutMs: 2000, requestTimeoutMs: 4000, maxBodyBytes: 100_000 },
    batching: { maxWaitMs: 100 },
    upstream: { pollIntervalMs: 50, requestsPerSecond: 100 },
    dispatch: { tickMs: 20, shutdownGraceMs: 2000 },
    accounts: [
      {
        username: DEFAULT_ACCOUNT.username,
        apiKey: DEFAULT_ACCOUNT.apiKey,
        password: DEFAULT_ACCOUNT.password,
      },
    ],
    partners: [
      {
        id: "shop",
        secrets: [SECRET],
        accounts: { joesflowers: { lists: ["1", "2"] } },
        fieldMapping: { email: "EMAIL ADDRESS", first: "FIRST NAME" },
      },
    ],
    ...overrides,
  });
}

async function post(url: string, body: object) {
  const request = await signedRequest(body);
  return fetch(`${url}${new URL(request.url).pathname}`, {
    method: "POST",
    headers: request.headers,
    body: await request.text(),
  });
}

function openSlowSocket(port: number): { socket: Socket; closed: Promise<number> } {
  const opened = Date.now();
  const socket = connect(port, "127.0.0.1");
  socket.setNoDelay(true);
  socket.on("error", () => {});
  socket.write("POST /v1/partners/shop/pushes HTTP/1.1\r\nHost: localhost\r\n");
  // a header byte every 500 ms, never the blank line
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write("X");
  }, 500);
  const closed = new Promise<number>((resolve) => {
    socket.on("close", () => {
      clearInterval(timer);
      resolve(Date.now() - opened);
    });
  });
  return { socket, closed };
}

describe("the service over a socket", () => {
  afterAll(() => {
    logger.flush();
  });

  it("cuts 1,000 clients that send headers slowly within 10 s while real pushes keep flowing", async () => {
    const fake = createFakeServer({ clock: "immediate" });
    const service = await startWebhookService({
      config: config(),
      logger,
      store: openSqliteStore(":memory:"),
      fetch: fake.fetch as typeof globalThis.fetch,
    });
    try {
      const port = Number(new URL(service.url).port);
      const slow = Array.from({ length: 1000 }, () => openSlowSocket(port));
      // a slow body: complete headers, then one byte a second
      const body = openSlowSocket(port);
      body.socket.write("\r\ncontent-length: 100\r\n\r\n{");
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await post(service.url, {
          action: "add",
          lists: ["1"],
          contacts: [{ email: `slow${i}@example.com` }],
        });
        statuses.push(response.status);
      }
      expect(statuses.every((s) => s === 202)).toBe(true);
      const cutAfter = await Promise.all(slow.map((s) => s.closed));
      expect(Math.max(...cutAfter)).toBeLessThan(10_000);
      expect(await body.closed).toBeLessThan(10_000);
      // and the service still answers
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    } finally {
      await service.close();
    }
  }, 30_000);

  it("answers 413 to a body over the limit by Content-Length or chunked, and 400 to conflicting headers", async () => {
    const service = await startWebhookService({
      config: config(),
      logger,
      store: openSqliteStore(":memory:"),
      dispatch: false,
    });
    try {
      const port = Number(new URL(service.url).port);
      // both headers: Node's parser refuses the request before the app (request smuggling guard)
      expect(await overLimitAnswers(port)).toEqual({
        contentLength: "HTTP/1.1 413 Payload Too Large",
        chunked: "HTTP/1.1 413 Payload Too Large",
        bothHeaders: "HTTP/1.1 400 Bad Request",
      });
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it("prunes finished pushes older than the idempotency window when it starts", async () => {
    const store = openSqliteStore(":memory:");
    const day = 24 * 60 * 60 * 1000;
    const old = newPush({ receivedAt: Date.now() - 9 * day });
    const recent = newPush({ receivedAt: Date.now() - 6 * day });
    for (const push of [old, recent]) {
      await store.acceptPush(push);
      await store.claimAccounts("local", Date.now(), 60_000);
      await store.createBatch("local", Date.now(), {
        id: `bat_${push.id}`,
        account: push.account,
        action: push.action,
        lists: push.lists,
        text: "EMAIL ADDRESS",
        contactCount: 2,
        createdAt: Date.now(),
        parts: [{ pushId: push.id, firstIndex: 0, count: 2, firstLine: 2 }],
      });
      await store.updateBatch("local", Date.now(), {
        batchId: `bat_${push.id}`,
        state: "dead",
        lastError: "x",
        errors: [],
      });
    }
    const service = await startWebhookService({ config: config(), logger, store, dispatch: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await store.getPushStatus(old.id)).toBeUndefined();
      expect(await store.getPushStatus(recent.id)).toBeDefined();
    } finally {
      await service.close();
    }
  });

  it("finishes the pushes in flight on shutdown, then refuses connections", async () => {
    const fake = createFakeServer({ clock: "immediate" });
    const store = openSqliteStore(":memory:");
    const closeStore = store.close.bind(store);
    let storeClosed = false;
    store.close = async () => {
      storeClosed = true;
      // keep the in-memory database readable for the assertions below
    };
    const service = await startWebhookService({
      config: config(),
      logger,
      store,
      fetch: fake.fetch as typeof globalThis.fetch,
    });
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      post(service.url, {
        action: "add",
        lists: ["2"],
        contacts: [{ email: `bye${i}@example.com`, first: "Bye" }],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const ready = fetch(`${service.url}/readyz`).catch(() => undefined);
    await service.close();
    const statuses = await Promise.all(inFlight.map((p) => p.then((r) => r.status).catch(() => 0)));
    // every push was either answered 202 (and is stored), refused 503 while draining, or never
    // got in (the sender retries both)
    const accepted = statuses.filter((s) => s === 202).length;
    expect(statuses.every((s) => s === 202 || s === 503 || s === 0)).toBe(true);
    expect((await store.stats(0)).pushes).toBe(accepted);
    expect(storeClosed).toBe(true);
    await ready;
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
    await closeStore();
  });

  it("while draining answers /readyz 503, /healthz 200 and new pushes 503 with Retry-After (QA W2)", async () => {
    const fake = createFakeServer({ clock: "immediate" });
    let createStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      createStarted = resolve;
    });
    let releaseCreate!: () => void;
    const released = new Promise<void>((resolve) => {
      releaseCreate = resolve;
    });
    // the upstream create hangs until released: the shutdown waits for it
    const slowFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.method === "POST") {
        createStarted();
        await released;
      }
      return fake.fetch(request);
    };
    const service = await startWebhookService({
      config: config(),
      logger,
      store: openSqliteStore(":memory:"),
      fetch: slowFetch as typeof globalThis.fetch,
    });
    expect(
      (
        await post(service.url, {
          action: "add",
          lists: ["2"],
          contacts: [{ email: "w2@example.com" }],
        })
      ).status,
    ).toBe(202);
    await started;
    const closed = service.close();
    try {
      expect((await fetch(`${service.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      const refused = await post(service.url, {
        action: "add",
        lists: ["2"],
        contacts: [{ email: "late@example.com" }],
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(await refused.json()).toEqual({ error: "Shutting down: send it again later" });
    } finally {
      releaseCreate();
      await closed;
    }
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
  });

  it("says once, loudly, when its store fails, and refuses pushes with 503 from then on (ADR 0150)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "webhook-service-"));
    const fake = createFakeServer({ clock: "immediate" });
    const service = await startWebhookService({
      config: config(),
      logger,
      // a writer thread that dies on the first push it is handed
      store: openSqliteStore(join(dir, "store.db"), {
        writerModule: new URL("./_writer-dies.ts", import.meta.url),
      }),
      fetch: fake.fetch as typeof globalThis.fetch,
    });
    const push = { action: "add", lists: ["1"], contacts: [{ email: "dies@example.com" }] };
    try {
      // the push in flight when the writer dies is refused, to be sent again, not left waiting
      const inFlight = await post(service.url, push);
      expect(inFlight.status).toBe(503);
      expect(inFlight.headers.get("retry-after")).toBe("5");
      expect(await inFlight.json()).toEqual({
        error: "The store is unavailable: send it again later",
      });
      expect((await service.failed).message).toBe(
        "The store's writer thread failed: test: the writer thread died",
      );
      expect((await fetch(`${service.url}/readyz`)).status).toBe(503);
      const refused = await post(service.url, push);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");
    } finally {
      await service.close();
      await rm(dir, { recursive: true, force: true });
    }
    logger.flush();
    const failures = readFileSync(logPath, "utf8")
      .split("\n")
      .filter((line) => line.includes('"msg":"store failed'));
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0]!)).toMatchObject({
      level: 50,
      store: "sqlite",
      err: { message: "The store's writer thread failed: test: the writer thread died" },
      msg: "store failed: pushes are refused until the service is restarted",
    });
  });

  it("logs requests, rejections and activities, without secrets or contact emails", async () => {
    const fake = createFakeServer({ clock: "immediate" });
    const service = await startWebhookService({
      config: config({
        accounts: [{ username: DEFAULT_ACCOUNT.username, apiKey: API_KEY, password: PASSWORD }],
      }),
      logger,
      store: openSqliteStore(":memory:"),
      fetch: fake.fetch as typeof globalThis.fetch,
    });
    try {
      await post(service.url, {
        action: "add",
        lists: ["1"],
        contacts: [{ email: "leak-check@example.com" }],
      });
      await post(service.url, {
        action: "add",
        lists: ["1"],
        contacts: [{ email: "not-an-email" }, { email: "x@example.org", zip: 1 }],
      });
      await post(service.url, {
        action: "add",
        lists: ["9"],
        contacts: [{ email: "forbidden@example.com" }],
      });
      logger.info(
        {
          email: "direct@example.com",
          apiKey: API_KEY,
          headers: { authorization: `Basic ${PASSWORD}` },
        },
        "redaction check",
      );
      // the account's credentials are wrong for the fake server: the create fails with 401 and is dead-lettered
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      await service.close();
    }
    logger.flush();
    const { lines, leaks } = findLeaks([logPath]);
    expect(lines).toBeGreaterThan(10);
    expect(leaks).toEqual([]);
  });
});
