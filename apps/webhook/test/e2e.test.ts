// End to end, in process: signed pushes into the app, the dispatcher and the transport against
// the fake server; then the same with the fake server failing a share of the requests.
import { decodeFormBody } from "@ctct-bulk/core";
import { createFakeServer, DEFAULT_ACCOUNT, type FaultRule } from "@ctct-bulk/fake-server";
import { describe, expect, it } from "vitest";
import { createWebhookApp } from "../src/app.ts";
import { parseWebhookConfig } from "../src/config.ts";
import { createDispatcher } from "../src/dispatcher.ts";
import { openSqliteStore } from "../src/sqlite-store.ts";
import { createTransportSubmitter } from "../src/transport-submitter.ts";
import { SECRET, signedRequest } from "./_harness.ts";

interface Sent {
  at: number;
  data: string;
  status: number;
  retryAfterMs: number | undefined;
}

function stack(options: { faults?: FaultRule[]; maxWaitMs?: number; timeoutMs?: number } = {}) {
  const fake = createFakeServer({ clock: "realistic", jobDelay: 20, randomSeed: 7 });
  for (const fault of options.faults ?? []) fake.control.addFault(fault);
  const sent: Sent[] = [];
  // records every create as the client saw it: when, what data, and the answer
  const fetch = (async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const isCreate = request.method === "POST" && request.url.endsWith("/activities");
    // a batch is its type, data and lists (the same contacts may go to two lists, or be removed)
    const data = isCreate
      ? decodeFormBody(await request.clone().text())
          .filter(([name]) => name !== "")
          .map((pair) => pair.join("="))
          .join("&")
      : "";
    const at = Date.now();
    try {
      const response = await fake.fetch(request);
      if (isCreate) {
        const retryAfter = response.headers.get("retry-after");
        sent.push({
          at,
          data,
          status: response.status,
          retryAfterMs: retryAfter ? Number(retryAfter) * 1000 : undefined,
        });
      }
      return response;
    } catch (error) {
      if (isCreate) sent.push({ at, data, status: 0, retryAfterMs: undefined });
      throw error;
    }
  }) as typeof globalThis.fetch;
  const config = parseWebhookConfig({
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
        accounts: { joesflowers: { lists: ["1", "2", "3"] } },
        fieldMapping: { email: "EMAIL ADDRESS", "first name": "FIRST NAME" },
      },
    ],
    batching: { maxWaitMs: options.maxWaitMs ?? 50, maxContacts: 100 },
  });
  const store = openSqliteStore(":memory:");
  const app = createWebhookApp({ config, store });
  const dispatcher = createDispatcher({
    store,
    submitter: createTransportSubmitter({
      accounts: config.accounts,
      baseUrl: fake.baseUrl,
      fetch,
      timeoutMs: options.timeoutMs ?? 2000,
      // no retries inside the transport: every retry goes through the dispatcher and the store
      retry: { limit: 0 },
    }),
    owner: "e2e",
    batching: config.batching,
    retry: { maxAttempts: 30, initialDelayMs: 20, maxDelayMs: 200 },
    pollIntervalMs: 30,
    leaseMs: 60_000,
    tickMs: 10,
    lostCreateSkewMs: 5_000,
  });
  const settle = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await dispatcher.tick();
      const stats = await store.stats(Date.now());
      const open =
        (stats.batchesByState.ready ?? 0) +
        (stats.batchesByState.submitting ?? 0) +
        (stats.batchesByState.submitted ?? 0);
      if (stats.queuedPushes === 0 && open === 0) {
        await dispatcher.settle();
        return stats;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("The queue did not drain in time");
  };
  return { fake, app, store, dispatcher, sent, settle };
}

const members = (fake: ReturnType<typeof createFakeServer>, list: number) =>
  fake.control
    .members(list)
    .map((m) => m.email)
    .sort();

describe("the webhook service against the fake server", () => {
  it("turns signed pushes into activities that change the lists, in order", async () => {
    const { fake, app, store, settle } = stack();
    const ids: string[] = [];
    const push = async (body: object) => {
      const response = await app.request(await signedRequest(body));
      expect(response.status).toBe(202);
      ids.push(((await response.json()) as { id: string }).id);
    };
    const emails = Array.from({ length: 30 }, (_, i) => `e2e${i}@example.com`);
    await push({
      action: "add",
      lists: ["1", "2"],
      contacts: emails.map((email) => ({ email, "first name": "E" })),
    });
    await push({
      action: "remove",
      lists: ["2"],
      contacts: emails.slice(0, 10).map((email) => ({ email })),
    });
    await push({ action: "add", lists: ["2"], contacts: [{ email: "e2e0@example.com" }] });
    await push({ action: "clear", lists: ["3"] });
    await settle();
    expect(members(fake, 1)).toEqual([...emails].sort());
    expect(members(fake, 2)).toEqual(["e2e0@example.com", ...emails.slice(10)].sort());
    for (const id of ids) {
      const status = await store.getPushStatus(id);
      expect(status?.status).toBe("complete");
      expect(
        status?.batches.every((b) => b.activityUri?.startsWith("http://api.constantcontact.com/")),
      ).toBe(true);
    }
    const types = fake.control
      .activities()
      .map((a) => a.type)
      .sort();
    expect(types).toEqual([
      "ADD_CONTACTS",
      "ADD_CONTACTS",
      "CLEAR_CONTACTS_FROM_LISTS",
      "REMOVE_CONTACTS_FROM_LISTS",
    ]);
  });

  it("brings every batch to a final state through 429s, 503s, drops and lost answers, never early, never twice", async () => {
    const create = "POST /ws/customers/:username/activities";
    const { fake, app, sent, settle } = stack({
      faults: [
        // one of each for sure (the first creates), then 20-30% at random
        { route: create, kind: "rate-limit", retryAfter: 1, times: 1 },
        { route: create, kind: "status", status: 503, times: 1 },
        { route: create, kind: "drop", times: 1 },
        { route: create, kind: "lose-response", times: 1 },
        { route: create, kind: "rate-limit", retryAfter: 1, rate: 0.1 },
        { route: create, kind: "status", status: 503, rate: 0.08 },
        { route: create, kind: "drop", rate: 0.05 },
        { route: create, kind: "lose-response", rate: 0.08 },
        { route: "GET /ws/customers/*", kind: "status", status: 503, rate: 0.15 },
        { route: "GET /ws/customers/*", kind: "latency", latencyMs: 5000, rate: 0.02 },
      ],
      timeoutMs: 500,
    });
    const expected = new Map<number, Set<string>>([
      [1, new Set()],
      [2, new Set()],
      [3, new Set()],
    ]);
    for (let i = 0; i < 40; i++) {
      const list = (i % 3) + 1;
      const action = i % 5 === 4 ? "remove" : "add";
      const emails = Array.from({ length: 8 }, (_, j) => `f${(i * 7 + j) % 50}@example.com`);
      const response = await app.request(
        await signedRequest({
          action,
          lists: [String(list)],
          contacts: emails.map((email) => ({ email })),
        }),
      );
      expect(response.status).toBe(202);
      for (const email of emails) {
        if (action === "add") expected.get(list)!.add(email);
        else expected.get(list)!.delete(email);
      }
    }
    const stats = await settle(45_000);
    expect(stats.batchesByState.dead ?? 0).toBe(0);
    expect(stats.batchesByState.error ?? 0).toBe(0);
    for (const [list, emails] of expected) expect(members(fake, list)).toEqual([...emails].sort());
    // the faults really happened
    expect(sent.some((s) => s.status === 429)).toBe(true);
    expect(sent.some((s) => s.status === 503)).toBe(true);
    expect(sent.some((s) => s.status === 0)).toBe(true);
    expect(fake.control.requests().some((r) => r.fault === "lose-response")).toBe(true);
    // nothing was sent again before the Retry-After it was given
    const byData = new Map<string, Sent[]>();
    for (const s of sent) byData.set(s.data, [...(byData.get(s.data) ?? []), s]);
    for (const attempts of byData.values()) {
      for (let i = 1; i < attempts.length; i++) {
        const before = attempts[i - 1]!;
        if (before.retryAfterMs !== undefined) {
          expect(attempts[i]!.at - before.at).toBeGreaterThanOrEqual(before.retryAfterMs - 5);
        }
      }
    }
    // each batch's data became exactly one activity: lost answers were found, not sent again
    const createdByData = new Map<string, number>();
    for (const activity of fake.control.activities()) {
      const request = fake.control.requests().find((r) => r.activityId === activity.id);
      const data = request?.params
        ?.filter(([name]) => name !== "")
        .map((pair) => pair.join("="))
        .join("&");
      if (data) createdByData.set(data, (createdByData.get(data) ?? 0) + 1);
    }
    const duplicated = [...createdByData.values()].filter((n) => n > 1).length;
    expect(duplicated).toBe(0);
    // and none was lost: one activity per batch (a lost create adopted by the wrong batch would
    // leave that batch's contacts unsent and show up here)
    expect(fake.control.activities()).toHaveLength(stats.batchesByState.complete ?? 0);
  }, 60_000);
});
