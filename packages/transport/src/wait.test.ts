import type { Activity, ActivityStatus } from "@ctct-bulk/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createVirtualClock } from "./clock.ts";
import { ActivityFailedError } from "./errors/activity-failed-error.ts";
import { WaitTimeoutError } from "./errors/wait-timeout-error.ts";
import { activityOutcome, pollActivities, type StatusChange, waitForActivities } from "./wait.ts";

function activity(id: string, status: ActivityStatus, errorCount = 0): Activity {
  return {
    uri: `http://api.constantcontact.com/ws/customers/joesflowers/activities/${id}`,
    id,
    type: "ADD_CONTACTS",
    status,
    fileName: "",
    transactionCount: 0,
    errors: Array.from({ length: errorCount }, (_, i) => ({ line: i + 2, message: "Bad" })),
    errorCount,
  } as Activity;
}

/** A reader that walks each id through its list of statuses, one per read (the last repeats). */
function scriptedReader(
  scripts: Record<string, ActivityStatus[]>,
  errorCounts: Record<string, number> = {},
) {
  const reads: string[] = [];
  const positions = new Map<string, number>();
  const read = async (id: string) => {
    reads.push(id);
    const script = scripts[id]!;
    const position = positions.get(id) ?? 0;
    positions.set(id, position + 1);
    return activity(id, script[Math.min(position, script.length - 1)]!, errorCounts[id] ?? 0);
  };
  return { read, reads };
}

describe("waitForActivities()", () => {
  it("polls until COMPLETE and reports each change of status once, the first reading included", async () => {
    const clock = createVirtualClock(0);
    const { read } = scriptedReader({ a: ["QUEUED", "QUEUED", "RUNNING", "RUNNING", "COMPLETE"] });
    const changes: StatusChange[] = [];
    const [result] = await waitForActivities(
      ["a"],
      read,
      { onStatus: (c) => changes.push(c) },
      clock,
      () => 0.5,
    );
    expect(result!.outcome).toBe("complete");
    expect(changes.map((c) => [c.previous, c.status])).toEqual([
      [undefined, "QUEUED"],
      ["QUEUED", "RUNNING"],
      ["RUNNING", "COMPLETE"],
    ]);
    expect(changes[2]!.outcome).toBe("complete");
  });

  it("backs off while the status stays the same, caps the interval, and starts over on a change", async () => {
    const clock = createVirtualClock(0);
    const statuses: ActivityStatus[] = [
      ...Array(12).fill("QUEUED"),
      "RUNNING",
      "RUNNING",
      "COMPLETE",
    ];
    const { read } = scriptedReader({ a: statuses });
    await waitForActivities(
      ["a"],
      read,
      { poll: { initialInterval: 100, maxInterval: 1_000, factor: 2, jitter: 0 } },
      clock,
      () => 0,
    );
    expect(clock.sleeps.slice(0, 6)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    // QUEUED → RUNNING resets the interval
    expect(clock.sleeps[12]).toBe(100);
    expect(Math.max(...clock.sleeps)).toBe(1_000);
  });

  it("keeps every delay within its jitter and under the cap", () => {
    fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 0.999, noNaN: true }), async (random) => {
        const clock = createVirtualClock(0);
        const { read } = scriptedReader({ a: [...Array(20).fill("RUNNING"), "COMPLETE"] });
        await waitForActivities(
          ["a"],
          read,
          { poll: { initialInterval: 1_000, maxInterval: 8_000, factor: 2, jitter: 0.2 } },
          clock,
          () => random,
        );
        for (const sleep of clock.sleeps) {
          expect(sleep).toBeLessThanOrEqual(8_000);
          expect(sleep).toBeGreaterThanOrEqual(800);
        }
      }),
      { numRuns: 30 },
    );
  });

  it("tells complete-with-errors apart from error", async () => {
    const clock = createVirtualClock(0);
    const { read } = scriptedReader(
      { a: ["COMPLETE"], b: ["RUNNING", "ERROR"], c: ["COMPLETE"] },
      { a: 2 },
    );
    const results = await waitForActivities(["a", "b", "c"], read, {}, clock, () => 0.5);
    expect(results.map((r) => [r.activity.id, r.outcome])).toEqual([
      ["a", "complete-with-errors"],
      ["b", "error"],
      ["c", "complete"],
    ]);
  });

  it("keeps what settle() makes of a finished activity, after its change was seen whole", async () => {
    const clock = createVirtualClock(0);
    const { read } = scriptedReader({ a: ["RUNNING", "COMPLETE"], b: ["COMPLETE"] }, { a: 3 });
    const seen: number[] = [];
    const settled: [string, number, string][] = [];
    const results = await waitForActivities(
      ["a", "b"],
      read,
      { onStatus: (change) => seen.push(change.activity.errors.length) },
      clock,
      () => 0.5,
      (finished, index, outcome) => {
        settled.push([finished.id, index, outcome]);
        return { ...finished, errors: [] };
      },
    );
    expect(settled).toEqual([
      ["b", 1, "complete"],
      ["a", 0, "complete-with-errors"],
    ]);
    expect(seen).toEqual([3, 0, 3]);
    expect(results.map((result) => [result.activity.errors, result.activity.errorCount])).toEqual([
      [[], 3],
      [[], 0],
    ]);
  });

  it("throws ActivityFailedError on ERROR when asked to", async () => {
    const clock = createVirtualClock(0);
    const { read } = scriptedReader({ a: ["RUNNING", "ERROR"] });
    const error = await waitForActivities(
      ["a"],
      read,
      { throwOnError: true },
      clock,
      () => 0.5,
    ).catch((e) => e);
    expect(ActivityFailedError.isInstance(error)).toBe(true);
    expect(error.activity.id).toBe("a");
    expect(error.message).toBe('Activity "a" ended in status ERROR');
  });

  it("gives up at the deadline without sleeping past it", async () => {
    const clock = createVirtualClock(10_000);
    const { read } = scriptedReader({ a: ["RUNNING"] });
    const error = await waitForActivities(["a"], read, { timeout: 5_000 }, clock, () => 0.5).catch(
      (e) => e,
    );
    expect(WaitTimeoutError.isInstance(error)).toBe(true);
    expect(error.reason).toBe("deadline");
    expect(error.activity.status).toBe("RUNNING");
    expect(clock.now()).toBe(15_000);
  });

  it("gives up when a job stays in one status longer than noProgressTimeout", async () => {
    const clock = createVirtualClock(0);
    const { read } = scriptedReader({ a: ["QUEUED", "RUNNING"] });
    const error = await waitForActivities(
      ["a"],
      read,
      { noProgressTimeout: 60_000 },
      clock,
      () => 0.5,
    ).catch((e) => e);
    expect(WaitTimeoutError.isInstance(error)).toBe(true);
    expect(error.reason).toBe("no-progress");
    expect(error.message).toMatch(
      /^Gave up waiting for activity "a": no progress from status RUNNING in \d+ ms$/,
    );
  });

  it("waits for many activities, each polled on its own schedule, until all are finished", async () => {
    const clock = createVirtualClock(0);
    const { read, reads } = scriptedReader({
      a: ["COMPLETE"],
      b: ["QUEUED", "RUNNING", "RUNNING", "COMPLETE"],
    });
    const results = await waitForActivities(["a", "b"], read, {}, clock, () => 0.5);
    expect(results.map((r) => r.outcome)).toEqual(["complete", "complete"]);
    expect(reads.filter((id) => id === "a")).toHaveLength(1);
    expect(reads.filter((id) => id === "b")).toHaveLength(4);
  });

  it("stops at once when the signal aborts", async () => {
    const clock = createVirtualClock(0);
    const controller = new AbortController();
    const { read } = scriptedReader({ a: ["RUNNING"] });
    let reads = 0;
    const promise = waitForActivities(
      ["a"],
      async (id) => {
        if (++reads === 3) controller.abort(new Error("Stop"));
        return read(id);
      },
      { signal: controller.signal },
      clock,
      () => 0.5,
    );
    await expect(promise).rejects.toThrow("Stop");
  });
});

describe("pollActivities()", () => {
  it("yields status changes as an async iterator and ends when all are finished", async () => {
    const clock = createVirtualClock(0);
    const { read } = scriptedReader({ a: ["PENDING", "RUNNING", "COMPLETE"] });
    const seen: string[] = [];
    for await (const change of pollActivities(["a"], read, {}, clock, () => 0.5))
      seen.push(change.status);
    expect(seen).toEqual(["PENDING", "RUNNING", "COMPLETE"]);
  });
});

describe("activityOutcome()", () => {
  it("is undefined for every status but COMPLETE and ERROR", () => {
    for (const status of ["UNCONFIRMED", "PENDING", "QUEUED", "RUNNING"] as const)
      expect(activityOutcome({ status, errors: [], errorCount: 0 })).toBeUndefined();
    expect(activityOutcome({ status: "ERROR", errors: [], errorCount: 0 })).toBe("error");
  });
});
