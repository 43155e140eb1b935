import { type ContactColumn, formEncodedLength, openContactFile } from "@ctct-bulk/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eligiblePushes, planBatches } from "./batcher.ts";
import type { NewBatch, PushAction, PushContacts, QueuedPush } from "./store.ts";

const LIST = (id: number) => `http://api.constantcontact.com/ws/customers/joesflowers/lists/${id}`;

interface Model {
  pushes: QueuedPush[];
  contacts: Map<string, PushContacts>;
  active: NewBatch[];
  created: NewBatch[];
}

function push(
  seq: number,
  action: PushAction,
  lists: number[],
  contacts: PushContacts,
  receivedAt = 0,
): QueuedPush {
  return {
    seq,
    id: `p${seq}`,
    account: "joesflowers",
    action,
    lists: lists.map(LIST).sort(),
    receivedAt,
    contactCount: contacts.rows.length,
    assignedCount: 0,
    pending: true,
  };
}

function emails(prefix: string, count: number): PushContacts {
  return {
    columns: ["EMAIL ADDRESS"],
    rows: Array.from({ length: count }, (_, i) => [`${prefix}${i}@example.com`]),
    sources: Array.from({ length: count }, (_, i) => i + 1),
  };
}

let ids = 0;
const options = { maxContacts: 25, maxEncodedBytes: 1_900_000, maxWaitMs: 1000 };

/** Plans, then applies what was planned the way the store would. */
function step(model: Model, now: number, limits = options): NewBatch[] {
  const planned = planBatches(
    {
      account: "joesflowers",
      pushes: model.pushes,
      active: model.active,
      contactsOf: (id) => model.contacts.get(id)!,
      now,
      createBatchId: () => `b${++ids}`,
    },
    limits,
  );
  for (const batch of planned) {
    for (const part of batch.parts) {
      const target = model.pushes.find((p) => p.id === part.pushId)!;
      expect(part.firstIndex).toBe(target.assignedCount);
      target.assignedCount += part.count;
      target.pending = target.assignedCount < target.contactCount;
    }
    model.active.push(batch);
    model.created.push(batch);
  }
  return planned;
}

/** Completes the given batches and drops the pushes that are done. */
function complete(model: Model, batches: NewBatch[]): void {
  model.active = model.active.filter((b) => !batches.includes(b));
  model.pushes = model.pushes.filter(
    (p) => p.pending || model.active.some((b) => b.parts.some((part) => part.pushId === p.id)),
  );
}

describe("eligiblePushes()", () => {
  it("holds a remove back until an earlier add on the same list is done, and not other lists", () => {
    const add = push(1, "add", [1], emails("a", 1));
    const remove = push(2, "remove", [1, 2], emails("a", 1));
    const other = push(3, "add", [3], emails("b", 1));
    const laterAdd = push(4, "add", [1], emails("c", 1));
    expect(eligiblePushes([add, remove, other, laterAdd], [])).toEqual(new Set(["p1", "p3"]));
    // the add is in a running batch: the remove still waits, and so does the add after it
    expect(
      eligiblePushes([remove, other, laterAdd], [{ action: "add", lists: [LIST(1)] }]),
    ).toEqual(new Set(["p3"]));
    expect(eligiblePushes([remove, laterAdd], [])).toEqual(new Set(["p2"]));
    // a clear conflicts with adds and removes alike
    const clear = push(5, "clear", [2], { columns: [], rows: [], sources: [] });
    expect(eligiblePushes([clear, laterAdd], [{ action: "remove", lists: [LIST(2)] }])).toEqual(
      new Set(["p4"]),
    );
  });
});

describe("planBatches()", () => {
  it("sends a full batch at once and holds a small one until the oldest contact has waited", () => {
    const model: Model = { pushes: [], contacts: new Map(), active: [], created: [] };
    const a = push(1, "add", [1], emails("a", 20), 0);
    const b = push(2, "add", [1], emails("b", 10), 500);
    model.pushes.push(a, b);
    model.contacts.set(a.id, emails("a", 20)).set(b.id, emails("b", 10));
    const first = step(model, 600);
    expect(first.map((batch) => batch.contactCount)).toEqual([25]);
    expect(first[0]!.parts).toEqual([
      { pushId: "p1", firstIndex: 0, count: 20, firstLine: 2 },
      { pushId: "p2", firstIndex: 0, count: 5, firstLine: 22 },
    ]);
    expect(step(model, 1499)).toEqual([]);
    const second = step(model, 1500);
    expect(second.map((batch) => [batch.contactCount, batch.parts[0]])).toEqual([
      [5, { pushId: "p2", firstIndex: 5, count: 5, firstLine: 2 }],
    ]);
  });

  it("keeps each batch's encoded data under the byte limit, measured exactly", () => {
    const model: Model = { pushes: [], contacts: new Map(), active: [], created: [] };
    const long = "x".repeat(300);
    const contacts: PushContacts = {
      columns: ["EMAIL ADDRESS", "CUSTOM FIELD 1", "CITY"],
      rows: Array.from({ length: 40 }, (_, i) => [
        `u${i}@example.com`,
        `${long}, ${i}`,
        i % 2 ? "Boston" : "",
      ]),
      sources: Array.from({ length: 40 }, (_, i) => i + 2),
    };
    const p = push(1, "add", [1], contacts);
    model.pushes.push(p);
    model.contacts.set(p.id, contacts);
    const limits = { maxContacts: 10_000, maxEncodedBytes: 5_000, maxWaitMs: 0 };
    const batches = step(model, 0, limits);
    expect(batches.length).toBeGreaterThan(2);
    for (const batch of batches) {
      expect(formEncodedLength(batch.text)).toBeLessThanOrEqual(5_000);
      expect(batch.text.split("\n")).toHaveLength(batch.contactCount + 1);
    }
    // each batch but the last is full: one more contact would not fit
    expect(batches.reduce((n, b) => n + b.contactCount, 0)).toBe(40);
  });

  it("packs, orders and sizes batches correctly under random add/remove/clear interleavings", async () => {
    const columns: ContactColumn[] = ["EMAIL ADDRESS", "FIRST NAME", "CITY", "CUSTOM FIELD 3"];
    const contactArb = fc.tuple(
      fc.stringMatching(/^[a-z]{1,6}$/),
      fc.string({ maxLength: 8 }),
      fc.constantFrom("", "Boston, MA", 'Quote "q"', "Zürich"),
      fc.string({ unit: "grapheme", maxLength: 5 }),
    );
    const pushArb = fc.record({
      action: fc.constantFrom<PushAction>("add", "remove", "clear"),
      lists: fc.uniqueArray(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
      contacts: fc.array(contactArb, { minLength: 1, maxLength: 30 }),
      gap: fc.integer({ min: 0, max: 700 }),
    });
    const scenario = fc.record({
      pushes: fc.array(pushArb, { minLength: 1, maxLength: 12 }),
      completions: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      maxContacts: fc.integer({ min: 25, max: 60 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ pushes, completions, maxContacts }) => {
        const model: Model = { pushes: [], contacts: new Map(), active: [], created: [] };
        const limits = { maxContacts, maxEncodedBytes: 1_900_000, maxWaitMs: 1000 };
        const all: QueuedPush[] = [];
        let clock = 0;
        pushes.forEach((spec, i) => {
          clock += spec.gap;
          const rows =
            spec.action === "clear"
              ? []
              : spec.contacts.map(([local, first, city, custom], j) =>
                  spec.action === "remove"
                    ? [`${local}.${i}.${j}@example.com`]
                    : [`${local}.${i}.${j}@example.com`, first.trim(), city, custom.trim()],
                );
          const contacts: PushContacts = {
            columns:
              spec.action === "remove" ? ["EMAIL ADDRESS"] : spec.action === "clear" ? [] : columns,
            rows,
            sources: rows.map((_, j) => j + 1),
          };
          const queued = push(i + 1, spec.action, spec.lists, contacts, clock);
          all.push(queued);
          model.pushes.push(queued);
          model.contacts.set(queued.id, contacts);
        });
        // run: plan, then complete some running batches, while time goes on
        let round = 0;
        while (model.pushes.length > 0 && round < 200) {
          const before = model.active.map((b) => ({ action: b.action, lists: b.lists }));
          const unfinishedBefore = model.pushes.map((p) => ({ ...p }));
          const planned = step(model, clock, limits);
          for (const batch of planned) {
            // per-list order: nothing running or earlier and unfinished touches its lists with another action
            for (const running of before) {
              if (running.lists.some((l) => batch.lists.includes(l)))
                expect(running.action).toBe(batch.action);
            }
            const firstSeq = Math.min(
              ...batch.parts.map((part) => all.find((p) => p.id === part.pushId)!.seq),
            );
            for (const earlier of unfinishedBefore) {
              if (earlier.seq < firstSeq && earlier.lists.some((l) => batch.lists.includes(l))) {
                expect(earlier.action).toBe(batch.action);
              }
            }
            // size and the small-batch rule
            expect(batch.contactCount).toBeLessThanOrEqual(maxContacts);
            if (batch.action !== "clear" && batch.contactCount < 25) {
              const oldest = all.find((p) => p.id === batch.parts[0]!.pushId)!.receivedAt;
              expect(clock - oldest).toBeGreaterThanOrEqual(1000);
            }
            if (batch.action !== "clear") {
              // the file reads back as the contacts it was made of
              const table = await openContactFile(batch.text);
              const read: string[] = [];
              for await (const row of table.rows) read.push(row.fields[0]!);
              const expected = batch.parts.flatMap((part) =>
                model.contacts
                  .get(part.pushId)!
                  .rows.slice(part.firstIndex, part.firstIndex + part.count)
                  .map((r) => r[0]!),
              );
              expect(read).toEqual(expected);
            }
          }
          const done = model.active.filter((_, i) => completions[(round + i) % completions.length]);
          complete(model, done);
          clock += 400;
          round++;
        }
        expect(model.pushes).toEqual([]);
        // every contact was batched exactly once
        for (const queued of all) {
          const assigned = model.created.flatMap((b) =>
            b.parts.filter((part) => part.pushId === queued.id),
          );
          expect(assigned.reduce((n, part) => n + part.count, 0)).toBe(queued.contactCount);
          if (queued.action === "clear") expect(assigned).toHaveLength(1);
        }
      }),
      { numRuns: 150 },
    );
  });
});
