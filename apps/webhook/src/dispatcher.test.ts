import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScriptedApi } from "../test/_scripted-api.ts";
import { newPush } from "../test/_store-contract.ts";
import { backoffDelay, createDispatcher, SubmitError } from "./dispatcher.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import type { NewPush, PushAction, PushStore } from "./store.ts";

const LIST = (id: number) => `http://api.constantcontact.com/ws/customers/joesflowers/lists/${id}`;

function setup(store: PushStore = openSqliteStore(":memory:")) {
  let clock = 1_000_000;
  const api = new ScriptedApi(() => clock);
  const dispatcher = createDispatcher({
    store,
    submitter: api,
    owner: "test",
    batching: { maxContacts: 50, maxEncodedBytes: 1_900_000, maxWaitMs: 1000 },
    retry: { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000 },
    pollIntervalMs: 200,
    leaseMs: 60_000,
    tickMs: 50,
    now: () => clock,
    random: () => 0.5,
  });
  /** Ticks until nothing is left to do, advancing the clock `step` ms each time. */
  const drain = async (step = 100, rounds = 500) => {
    for (let i = 0; i < rounds; i++) {
      await dispatcher.tick();
      await dispatcher.settle();
      const stats = await store.stats(clock);
      const active =
        (stats.batchesByState.ready ?? 0) +
        (stats.batchesByState.submitting ?? 0) +
        (stats.batchesByState.submitted ?? 0);
      if (stats.queuedPushes === 0 && active === 0) return;
      clock += step;
    }
    throw new Error("The queue did not drain");
  };
  return {
    store,
    api,
    dispatcher,
    drain,
    advance: (ms: number) => {
      clock += ms;
    },
    now: () => clock,
  };
}

function contacts(emails: string[]): NewPush["contacts"] {
  return {
    columns: ["EMAIL ADDRESS"],
    rows: emails.map((e) => [e]),
    sources: emails.map((_, i) => i + 1),
  };
}

describe("createDispatcher()", () => {
  it("batches, submits and follows pushes to complete, mapping per-line errors back", async () => {
    const { store, api, drain, now } = setup();
    const a = newPush({
      receivedAt: now(),
      contacts: contacts(["a1@example.com", "a2@example.com"]),
    });
    const b = newPush({ receivedAt: now(), contacts: contacts(["b1@example.com"]) });
    await store.acceptPush(a);
    await store.acceptPush(b);
    // the activity rejects line 4: the second push's first contact
    api.lineErrors.push([{ line: 4, email: "b1@example.com", message: "Invalid email address" }]);
    await drain();
    expect(api.activities).toHaveLength(1);
    expect(api.activities[0]!.emails).toEqual([
      "a1@example.com",
      "a2@example.com",
      "b1@example.com",
    ]);
    expect(await store.getPushStatus(a.id)).toMatchObject({ status: "complete", errors: [] });
    expect(await store.getPushStatus(b.id)).toMatchObject({
      status: "complete",
      errors: [
        { contact: 0, source: 1, email: "b1@example.com", message: "Invalid email address" },
      ],
      batches: [{ state: "complete", activityUri: api.activities[0]!.uri }],
    });
  });

  it("waits for Retry-After on 429, backs off on 5xx, and dead-letters a 400", async () => {
    const { store, api, drain, now } = setup();
    const push = newPush({ receivedAt: now(), contacts: contacts(["a@example.com"]) });
    await store.acceptPush(push);
    api.createFaults.push(
      {
        error: new SubmitError("Too many requests", {
          retryable: true,
          retryAfterMs: 5000,
          kind: "429",
        }),
      },
      { error: new SubmitError("Service unavailable", { retryable: true, kind: "5xx" }) },
    );
    await drain();
    const [first, second, third] = api.attempts.get(api.activities[0]!.batchId)!;
    expect(second! - first!).toBeGreaterThanOrEqual(5000);
    expect(third! - second!).toBeGreaterThanOrEqual(
      backoffDelay({ maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000 }, 2, 0.5),
    );
    expect((await store.getPushStatus(push.id))?.status).toBe("complete");

    const bad = newPush({
      receivedAt: now(),
      lists: [LIST(2)],
      contacts: contacts(["b@example.com"]),
    });
    await store.acceptPush(bad);
    api.createFaults.push({
      error: new SubmitError("Bad request: unknown list", { retryable: false, kind: "400" }),
    });
    await drain();
    expect(await store.getPushStatus(bad.id)).toMatchObject({
      status: "failed",
      batches: [{ state: "dead", lastError: "Bad request: unknown list" }],
    });
  });

  it("dead-letters a batch after the last attempt", async () => {
    const { store, api, drain, now } = setup();
    const push = newPush({ receivedAt: now(), contacts: contacts(["a@example.com"]) });
    await store.acceptPush(push);
    for (let i = 0; i < 4; i++) {
      api.createFaults.push({
        error: new SubmitError("Service unavailable", { retryable: true, kind: "5xx" }),
      });
    }
    await drain();
    expect(await store.getPushStatus(push.id)).toMatchObject({
      status: "failed",
      batches: [{ state: "dead", lastError: "Service unavailable" }],
    });
    expect([...api.attempts.values()][0]).toHaveLength(4);
  });

  it("adopts a create whose answer was lost instead of sending it twice", async () => {
    const { store, api, drain, now } = setup();
    const push = newPush({ receivedAt: now(), contacts: contacts(["a@example.com"]) });
    await store.acceptPush(push);
    api.createFaults.push({
      created: true,
      error: new SubmitError("Socket hang up", { retryable: true, inDoubt: true, kind: "network" }),
    });
    await drain();
    expect(api.activities).toHaveLength(1);
    expect(await store.getPushStatus(push.id)).toMatchObject({
      status: "complete",
      batches: [{ activityUri: api.activities[0]!.uri }],
    });
  });

  it("resumes after a restart: a batch left mid-create is looked for, not sent twice", async () => {
    const store = openSqliteStore(":memory:");
    const first = setup(store);
    const push = newPush({ receivedAt: first.now(), contacts: contacts(["a@example.com"]) });
    await store.acceptPush(push);
    // the first instance creates the activity and "crashes" before recording it
    first.api.createFaults.push({
      created: true,
      error: new SubmitError("Crashed", { retryable: true, inDoubt: true, kind: "network" }),
    });
    first.advance(2000);
    await first.dispatcher.tick();
    await first.dispatcher.settle();
    expect((await store.listActiveBatches("joesflowers"))[0]?.state).toBe("submitting");
    // a new dispatcher (same store, same API) picks it up
    const second = createDispatcher({
      store,
      submitter: first.api,
      owner: "test",
      batching: { maxContacts: 50, maxEncodedBytes: 1_900_000, maxWaitMs: 1000 },
      retry: { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000 },
      pollIntervalMs: 200,
      leaseMs: 60_000,
      tickMs: 50,
      now: first.now,
    });
    for (let i = 0; i < 20; i++) {
      first.advance(500);
      await second.tick();
      await second.settle();
    }
    expect(first.api.activities).toHaveLength(1);
    expect((await store.getPushStatus(push.id))?.status).toBe("complete");
  });

  it("keeps per-list order under random add/remove/clear interleavings, and ends with the sequential result", async () => {
    const pushArb = fc.record({
      action: fc.constantFrom<PushAction>("add", "add", "remove", "clear"),
      lists: fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
      emails: fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }),
      gap: fc.integer({ min: 0, max: 1500 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(pushArb, { minLength: 1, maxLength: 14 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 10 }),
        async (specs, durations) => {
          const { store, api, dispatcher, advance, now, drain } = setup();
          let d = 0;
          api.readsToFinish = () => durations[d++ % durations.length]!;
          const expected = new Map<string, Set<string>>();
          for (const spec of specs) {
            advance(spec.gap);
            const lists = spec.lists.map(LIST).sort();
            const emails = spec.emails.map((e) => `c${e}@example.com`);
            await store.acceptPush(
              newPush({
                receivedAt: now(),
                action: spec.action,
                lists,
                contacts:
                  spec.action === "clear"
                    ? { columns: [], rows: [], sources: [] }
                    : contacts(emails),
              }),
            );
            for (const list of lists) {
              const members = expected.get(list) ?? new Set<string>();
              expected.set(list, members);
              if (spec.action === "add") for (const e of emails) members.add(e);
              else if (spec.action === "remove") for (const e of emails) members.delete(e);
              else members.clear();
            }
            // the dispatcher runs while pushes keep arriving
            await dispatcher.tick();
            await dispatcher.settle();
          }
          await drain(300);
          expect(api.violations).toEqual([]);
          for (const [list, members] of expected) {
            expect([...(api.members.get(list) ?? [])].sort()).toEqual([...members].sort());
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
