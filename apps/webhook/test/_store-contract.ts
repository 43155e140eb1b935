// The one contract suite that both stores pass (sqlite-store.test.ts, postgres-store.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import type { NewPush, PushStore } from "../src/store.ts";

export interface StoreHarness {
  /** A store on an empty database. */
  store: PushStore;
  /** Another store on the same database (a restart, or a second instance). */
  reopen(): Promise<PushStore>;
  /** Drops the database. */
  dispose(): Promise<void>;
}

const LIST = (id: number) => `http://api.constantcontact.com/ws/customers/joesflowers/lists/${id}`;
let counter = 0;

export function newPush(overrides: Partial<NewPush> = {}): NewPush {
  counter++;
  return {
    id: `psh_${counter}_${Math.random().toString(36).slice(2)}`,
    partnerId: "shop",
    webhookId: `msg_${counter}_${Math.random().toString(36).slice(2)}`,
    bodyHash: "hash-a",
    receivedAt: 1_700_000_000_000 + counter,
    account: "joesflowers",
    action: "add",
    lists: [LIST(1)],
    contacts: {
      columns: ["EMAIL ADDRESS", "FIRST NAME"],
      rows: [
        [`a${counter}@example.com`, "Ann"],
        [`b${counter}@example.com`, "Bob"],
      ],
      sources: [1, 2],
    },
    ...overrides,
  };
}

export function describeStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`${name} (store contract)`, () => {
    const harnesses: StoreHarness[] = [];
    const stores: PushStore[] = [];
    async function setup() {
      const harness = await open();
      harnesses.push(harness);
      stores.push(harness.store);
      return harness;
    }
    async function reopen(harness: StoreHarness) {
      const store = await harness.reopen();
      stores.push(store);
      return store;
    }
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close().catch(() => {});
      for (const harness of harnesses.splice(0)) await harness.dispose();
    });

    it("accepts a push once, answers a retry with the same body with the original id, and refuses another body", async () => {
      const { store } = await setup();
      const push = newPush();
      expect(await store.acceptPush(push)).toEqual({
        kind: "accepted",
        pushId: push.id,
        receivedAt: push.receivedAt,
      });
      const retry = { ...push, id: "psh_other", receivedAt: push.receivedAt + 5 };
      expect(await store.acceptPush(retry)).toEqual({
        kind: "duplicate",
        pushId: push.id,
        receivedAt: push.receivedAt,
      });
      expect(await store.acceptPush({ ...retry, bodyHash: "hash-b" })).toEqual({
        kind: "conflict",
        pushId: push.id,
      });
      // the same webhook id from another partner is another push
      expect((await store.acceptPush({ ...retry, partnerId: "crm" })).kind).toBe("accepted");
      expect((await store.stats(0)).pushes).toBe(2);
    });

    it("accepts many concurrent pushes, and a duplicate inside one group once", async () => {
      const { store } = await setup();
      const pushes = Array.from({ length: 200 }, () => newPush());
      const twin = { ...pushes[0]!, id: "psh_twin" };
      const outcomes = await Promise.all([...pushes, twin].map((p) => store.acceptPush(p)));
      expect(outcomes.filter((o) => o.kind === "accepted")).toHaveLength(200);
      expect(outcomes[200]).toMatchObject({ kind: "duplicate", pushId: pushes[0]!.id });
      // concurrent pushes have no order between them; each is queued once
      const queued = await store.listQueuedPushes("joesflowers");
      expect(queued.map((p) => p.id).sort()).toEqual(pushes.map((p) => p.id).sort());
      expect(queued.map((p) => p.seq)).toEqual(queued.map((p) => p.seq).sort((a, b) => a - b));
    });

    it("keeps what it acknowledged across a restart", async () => {
      const harness = await setup();
      const push = newPush();
      await harness.store.acceptPush(push);
      await harness.store.close();
      const again = await reopen(harness);
      expect(await again.readPushContacts(push.id)).toEqual(push.contacts);
      expect((await again.acceptPush({ ...push, id: "psh_x" })).kind).toBe("duplicate");
    });

    it("leases an account to one owner at a time, and hands it over when the lease runs out", async () => {
      const harness = await setup();
      const other = await reopen(harness);
      await harness.store.acceptPush(newPush());
      expect(await harness.store.claimAccounts("a", 1000, 500)).toEqual(["joesflowers"]);
      expect(await other.claimAccounts("b", 1200, 500)).toEqual([]);
      // renewing keeps it
      expect(await harness.store.claimAccounts("a", 1400, 500)).toEqual(["joesflowers"]);
      expect(await other.claimAccounts("b", 1800, 500)).toEqual([]);
      expect(await other.claimAccounts("b", 1900, 500)).toEqual(["joesflowers"]);
      // the old owner can no longer write
      const [queued] = await harness.store.listQueuedPushes("joesflowers");
      const batch = {
        id: "bat_1",
        account: "joesflowers",
        action: "add" as const,
        lists: queued!.lists,
        text: "EMAIL ADDRESS\nx@example.com",
        contactCount: 1,
        createdAt: 1950,
        parts: [{ pushId: queued!.id, firstIndex: 0, count: 1, firstLine: 2 }],
      };
      expect(await harness.store.createBatch("a", 1950, batch)).toBe(false);
      expect(await other.createBatch("b", 1950, batch)).toBe(true);
      await other.releaseAccounts("b");
      expect(await harness.store.claimAccounts("a", 2000, 500)).toEqual(["joesflowers"]);
    });

    it("assigns contacts to batches in order, never twice, and tracks pushes to complete", async () => {
      const { store } = await setup();
      const first = newPush({
        contacts: {
          columns: ["EMAIL ADDRESS"],
          rows: [["a@example.com"], ["b@example.com"], ["c@example.com"]],
          sources: [2, 3, 4],
        },
      });
      const second = newPush();
      await store.acceptPush(first);
      await store.acceptPush(second);
      await store.claimAccounts("me", 0, 60_000);
      const base = {
        account: "joesflowers",
        action: "add" as const,
        lists: first.lists,
        text: "…",
      };
      expect(
        await store.createBatch("me", 1, {
          ...base,
          id: "bat_a",
          contactCount: 2,
          createdAt: 1,
          parts: [{ pushId: first.id, firstIndex: 0, count: 2, firstLine: 2 }],
        }),
      ).toBe(true);
      await expect(
        store.createBatch("me", 2, {
          ...base,
          id: "bat_dup",
          contactCount: 1,
          createdAt: 2,
          parts: [{ pushId: first.id, firstIndex: 1, count: 1, firstLine: 2 }],
        }),
      ).rejects.toThrow(`Cannot assign contacts of push "${first.id}" from 1: already assigned`);
      expect((await store.listActiveBatches("joesflowers")).map((b) => b.id)).toEqual(["bat_a"]);
      let queued = await store.listQueuedPushes("joesflowers");
      expect(queued.map((p) => [p.id, p.assignedCount, p.pending])).toEqual([
        [first.id, 2, true],
        [second.id, 0, true],
      ]);
      expect(
        await store.createBatch("me", 3, {
          ...base,
          id: "bat_b",
          contactCount: 3,
          createdAt: 3,
          parts: [
            { pushId: first.id, firstIndex: 2, count: 1, firstLine: 2 },
            { pushId: second.id, firstIndex: 0, count: 2, firstLine: 3 },
          ],
        }),
      ).toBe(true);
      expect((await store.getPushStatus(first.id))?.status).toBe("batched");

      expect(
        await store.updateBatch("me", 4, { batchId: "bat_a", state: "submitting", attempts: 1 }),
      ).toBe(true);
      await store.updateBatch("me", 5, {
        batchId: "bat_a",
        state: "submitted",
        activityUri: "http://api.constantcontact.com/ws/customers/joesflowers/activities/a07e1",
      });
      expect(
        await store.updateBatch("me", 6, { batchId: "bat_b", state: "submitting", attempts: 1 }),
      ).toBe(true);
      expect(
        await store.updateBatch("me", 6, {
          batchId: "bat_b",
          state: "retry",
          nextAttemptAt: 99,
          lastError: "Too many requests",
          inDoubt: false,
        }),
      ).toBe(true);
      const active = await store.listActiveBatches("joesflowers");
      expect(active.map((b) => [b.id, b.state, b.attempts, b.nextAttemptAt])).toEqual([
        ["bat_a", "submitted", 1, 0],
        ["bat_b", "ready", 1, 99],
      ]);
      expect(active[0]!.activityUri).toMatch(/a07e1$/);
      expect(active[0]!.submittedAt).toBe(5);
      expect(await store.listActivityUris("joesflowers", 5)).toEqual([active[0]!.activityUri]);
      expect(await store.listActivityUris("joesflowers", 6)).toEqual([]);
      // a retry whose outcome is unknown stays "submitting", to be looked for before resending
      await store.updateBatch("me", 6, { batchId: "bat_b", state: "submitting", attempts: 2 });
      await store.updateBatch("me", 7, {
        batchId: "bat_b",
        state: "retry",
        nextAttemptAt: 99,
        lastError: "Network error",
        inDoubt: true,
      });
      expect((await store.listActiveBatches("joesflowers"))[1]).toMatchObject({
        state: "submitting",
        attempts: 2,
        submittedAt: 6,
        lastError: "Network error",
      });
      expect((await store.getPushStatus(first.id))?.status).toBe("submitted");

      // a change from a stale view changes nothing
      expect(
        await store.updateBatch("me", 6, { batchId: "bat_a", state: "submitting", attempts: 1 }),
      ).toBe(false);
      expect(
        await store.updateBatch("me", 6, {
          batchId: "bat_a",
          state: "retry",
          nextAttemptAt: 1,
          lastError: "x",
          inDoubt: false,
        }),
      ).toBe(false);
      await store.updateBatch("me", 7, { batchId: "bat_a", state: "complete", errors: [] });
      expect(
        await store.updateBatch("me", 7, {
          batchId: "bat_a",
          state: "complete",
          errors: [{ line: 2, message: "twice" }],
        }),
      ).toBe(false);
      // bat_b: line 3 is the second push's first contact; line 2 the first push's third
      await store.updateBatch("me", 8, {
        batchId: "bat_b",
        state: "complete",
        errors: [
          { line: 3, email: `a${"x"}@example.com`, message: 'Invalid email address "ax"' },
          { line: 2, message: "Unknown US/Canadian state/prov" },
        ],
      });
      const status = await store.getPushStatus(first.id);
      expect(status).toMatchObject({
        id: first.id,
        partnerId: "shop",
        status: "complete",
        contacts: 3,
        action: "add",
        lists: first.lists,
        errors: [{ contact: 2, source: 4, message: "Unknown US/Canadian state/prov" }],
      });
      expect(status?.batches.map((b) => [b.id, b.contacts, b.state])).toEqual([
        ["bat_a", 2, "complete"],
        ["bat_b", 1, "complete"],
      ]);
      expect((await store.getPushStatus(second.id))?.errors).toEqual([
        { contact: 0, source: 1, email: "ax@example.com", message: 'Invalid email address "ax"' },
      ]);
      queued = await store.listQueuedPushes("joesflowers");
      expect(queued).toEqual([]);
      expect(await store.getPushStatus("psh_nope")).toBeUndefined();
    });

    it("batches a clear (no contacts) and reports a dead batch as failed", async () => {
      const { store } = await setup();
      const clear = newPush({ action: "clear", contacts: { columns: [], rows: [], sources: [] } });
      await store.acceptPush(clear);
      await store.claimAccounts("me", 0, 60_000);
      expect((await store.listQueuedPushes("joesflowers"))[0]).toMatchObject({
        contactCount: 0,
        pending: true,
      });
      await store.createBatch("me", 1, {
        id: "bat_c",
        account: "joesflowers",
        action: "clear",
        lists: clear.lists,
        text: "",
        contactCount: 0,
        createdAt: 1,
        parts: [{ pushId: clear.id, firstIndex: 0, count: 0, firstLine: 2 }],
      });
      expect((await store.listQueuedPushes("joesflowers"))[0]?.pending).toBe(false);
      await store.updateBatch("me", 2, {
        batchId: "bat_c",
        state: "dead",
        lastError: "Bad request: list cannot be cleared",
        errors: [],
      });
      expect(await store.getPushStatus(clear.id)).toMatchObject({
        status: "failed",
        batches: [{ id: "bat_c", state: "dead", lastError: "Bad request: list cannot be cleared" }],
      });
      expect(await store.listQueuedPushes("joesflowers")).toEqual([]);
    });

    it("counts the queue for /metrics and prunes finished pushes after their window", async () => {
      const { store } = await setup();
      const done = newPush({ receivedAt: 1000 });
      const waiting = newPush({ receivedAt: 2000 });
      await store.acceptPush(done);
      await store.acceptPush(waiting);
      await store.claimAccounts("me", 0, 60_000);
      await store.createBatch("me", 1, {
        id: "bat_p",
        account: "joesflowers",
        action: "add",
        lists: done.lists,
        text: "…",
        contactCount: 2,
        createdAt: 1,
        parts: [{ pushId: done.id, firstIndex: 0, count: 2, firstLine: 2 }],
      });
      expect(await store.stats(3000)).toEqual({
        pushes: 2,
        queuedPushes: 1,
        queuedContacts: 2,
        oldestQueuedAt: 2000,
        batchesByState: { ready: 1 },
      });
      await store.updateBatch("me", 2, { batchId: "bat_p", state: "complete", errors: [] });
      expect(await store.prune(5000)).toBe(1);
      expect(await store.getPushStatus(done.id)).toBeUndefined();
      expect(await store.getPushStatus(waiting.id)).toBeDefined();
      // its webhook id may be used again once the window is over
      expect((await store.acceptPush({ ...done, id: "psh_new" })).kind).toBe("accepted");
      expect((await store.stats(0)).batchesByState).toEqual({});
    });
  });
}
