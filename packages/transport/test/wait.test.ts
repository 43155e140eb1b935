import { afterAll, describe, expect, it } from "vitest";
import { createClient, type StatusChange, WaitTimeoutError } from "../src/mod.ts";
import { expectNoSecretsIn, failure, seenErrors, setUp } from "./_helpers.ts";

afterAll(() => expectNoSecretsIn(seenErrors));

describe("waiting against the fake server's manual clock", () => {
  it("wait() polls through PENDING, QUEUED, RUNNING to COMPLETE, reporting each change once", async () => {
    const { client } = setUp({ clock: "manual", jobDelay: 5_000 });
    const created = await client.activities.addContacts("EMAIL ADDRESS\na@example.com\n", {
      lists: [2],
    });
    const changes: StatusChange[] = [];
    const { outcome } = await client.activities.wait(created, {
      onStatus: (change) => changes.push(change),
    });
    expect(outcome).toBe("complete");
    expect(changes.map((change) => change.status)).toEqual([
      "PENDING",
      "QUEUED",
      "RUNNING",
      "COMPLETE",
    ]);
  });

  it("watch() yields the same changes as an async iterator", async () => {
    const { client } = setUp({ clock: "manual", jobDelay: 3_000 });
    const created = await client.activities.clearLists([2]);
    const statuses: string[] = [];
    for await (const change of client.activities.watch(created.id)) statuses.push(change.status);
    expect(statuses).toEqual(["PENDING", "QUEUED", "RUNNING", "COMPLETE"]);
  });

  it("a job stuck in one status ends the wait with no-progress, and a later process reattaches by id alone", async () => {
    const { client, server } = setUp({ clock: "manual", jobDelay: 600_000 });
    const created = await client.activities.clearLists([3]);
    const error = await failure(client.activities.wait(created.id, { noProgressTimeout: 120_000 }));
    expect(WaitTimeoutError.isInstance(error)).toBe(true);
    expect(error.reason).toBe("no-progress");
    expect(error.activity.status).toBe("PENDING");

    // A new process knows only the id.
    server.control.setJobDelay(1_000);
    const restarted = createClient({
      username: "joesflowers",
      apiKey: "demo-key",
      password: "demo-password",
      baseUrl: server.baseUrl,
      fetch: server.fetch as typeof fetch,
      clock: {
        now: () => server.control.now().getTime(),
        sleep: async (ms) => server.control.advance(ms),
      },
      rateLimit: false,
    });
    expect((await restarted.activities.wait(created.id)).outcome).toBe("complete");
  });

  it("the deadline ends the wait even while the status moves", async () => {
    const { client, clock } = setUp({ clock: "manual", jobDelay: 60_000 });
    const created = await client.activities.clearLists([4]);
    const start = clock.now();
    const error = await failure(client.activities.wait(created, { timeout: 90_000 }));
    expect(WaitTimeoutError.isInstance(error)).toBe(true);
    expect(error.reason).toBe("deadline");
    expect(clock.now() - start).toBe(90_000);
  });

  it("wait() on several activities returns each result in order", async () => {
    const { client, server } = setUp({ clock: "manual", jobDelay: 2_000 });
    server.control.addFault({
      route: "POST /ws/customers/:username/activities",
      kind: "job-error",
      times: 1,
    });
    const failed = await client.activities.clearLists([1]);
    const fine = await client.activities.clearLists([2]);
    const results = await client.activities.wait([failed, fine.uri]);
    expect(results.map((result) => [result.activity.id, result.outcome])).toEqual([
      [failed.id, "error"],
      [fine.id, "complete"],
    ]);
    const thrown = await failure(client.activities.wait(failed, { throwOnError: true }));
    expect(thrown.name).toBe("ActivityFailedError");
  });
});
