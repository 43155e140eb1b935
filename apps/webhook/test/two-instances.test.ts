// Two instances of the service on one PostgreSQL queue: both take pushes, one at a time works an
// account (leases), a lease left by a dead instance is taken over, and the lists end as if the
// pushes had been applied one by one, with no contact submitted twice.
import { decodeFormBody } from "@ctct-bulk/core";
import { createFakeServer, DEFAULT_ACCOUNT } from "@ctct-bulk/fake-server";
import { afterAll, describe, expect, it } from "vitest";
import { parseWebhookConfig } from "../src/config.ts";
import { openPostgresStore } from "../src/postgres-store.ts";
import { type RunningWebhookService, startWebhookService } from "../src/service.ts";
import { SECRET, signedRequest } from "./_harness.ts";
import { findLeaks, testLogger } from "./_logs.ts";
import { dropSchema, findPostgres, freshSchema } from "./_postgres.ts";

const postgres = await findPostgres();
const { logger, path: logPath } = testLogger("two-instances");

describe.runIf(postgres.url)("two instances on PostgreSQL", () => {
  const url = postgres.url!;
  const schema = freshSchema("twoinst");
  const services: RunningWebhookService[] = [];
  afterAll(async () => {
    for (const service of services) await service.close().catch(() => {});
    await dropSchema(url, schema);
  });

  it("share the queue, hand an abandoned lease over, and apply every push once, in order", async () => {
    const fake = createFakeServer({ clock: "realistic", jobDelay: 10 });
    const creates: string[] = [];
    const fetch = (async (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const body = request.method === "POST" ? await request.clone().text() : "";
      const response = await fake.fetch(request);
      if (request.method === "POST" && response.status === 201) {
        // a batch is its type, data and lists (the same contacts may go to two lists, or be removed)
        const params = decodeFormBody(body);
        creates.push(
          params
            .filter(([name]) => name !== "")
            .map((pair) => pair.join("="))
            .join("&"),
        );
      }
      return response;
    }) as typeof globalThis.fetch;
    const config = parseWebhookConfig(
      {
        listen: { host: "127.0.0.1", port: 0 },
        store: { kind: "postgres", url: { env: "UNUSED_PG_URL" } },
        batching: { maxWaitMs: 100 },
        upstream: { pollIntervalMs: 50, requestsPerSecond: 100, initialRetryDelayMs: 50 },
        dispatch: { tickMs: 20, leaseMs: 1500 },
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
            fieldMapping: { email: "EMAIL ADDRESS" },
          },
        ],
      },
      { env: { UNUSED_PG_URL: url } },
    );
    // a dead instance holds the account's lease: nobody may work it until the lease runs out
    const ghost = await openPostgresStore(url, { schema, poolSize: 1 });
    await ghost.acceptPush({
      id: "psh_ghost",
      partnerId: "ghost",
      webhookId: "msg_ghost",
      bodyHash: "x",
      receivedAt: Date.now(),
      account: "joesflowers",
      action: "add",
      lists: ["http://api.constantcontact.com/ws/customers/joesflowers/lists/3"],
      contacts: { columns: ["EMAIL ADDRESS"], rows: [["ghost@example.com"]], sources: [1] },
    });
    expect(await ghost.claimAccounts("ghost", Date.now(), 1500)).toEqual(["joesflowers"]);
    await ghost.close();

    for (const owner of ["instance-a", "instance-b"]) {
      services.push(
        await startWebhookService({
          config,
          logger,
          owner,
          store: await openPostgresStore(url, { schema, poolSize: 4 }),
          fetch,
        }),
      );
    }
    const expected = new Map<string, Set<string>>();
    const acceptedBy = [0, 0];
    for (let i = 0; i < 120; i++) {
      const list = String((i % 3) + 1);
      const action = i % 4 === 3 ? "remove" : "add";
      const emails = [`two${i % 40}@example.com`, `two${(i * 3) % 40}@example.com`];
      const which = i % 2;
      const request = await signedRequest({
        action,
        lists: [list],
        contacts: emails.map((email) => ({ email })),
      });
      const response = await globalThis.fetch(
        `${services[which]!.url}${new URL(request.url).pathname}`,
        {
          method: "POST",
          headers: request.headers,
          body: await request.text(),
        },
      );
      expect(response.status).toBe(202);
      acceptedBy[which]!++;
      const members = expected.get(list) ?? new Set<string>();
      expected.set(list, members);
      for (const email of emails) {
        if (action === "add") members.add(email);
        else members.delete(email);
      }
    }
    expected.get("3")!.add("ghost@example.com");
    // wait for the queue to drain
    const store = services[0]!.store;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const stats = await store.stats(Date.now());
      const open =
        (stats.batchesByState.ready ?? 0) +
        (stats.batchesByState.submitting ?? 0) +
        (stats.batchesByState.submitted ?? 0);
      if (stats.queuedPushes === 0 && open === 0) break;
      if (Date.now() > deadline) throw new Error("The queue did not drain");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // the ghost's push too: its lease ran out and a live instance took the account over
    expect((await store.getPushStatus("psh_ghost"))?.status).toBe("complete");
    expect(acceptedBy).toEqual([60, 60]);
    for (const [list, members] of expected) {
      expect(
        fake.control
          .members(list)
          .map((m) => m.email)
          .sort(),
      ).toEqual([...members].sort());
    }
    // no batch was sent twice
    expect(new Set(creates).size).toBe(creates.length);
    const stats = await store.stats(Date.now());
    expect(stats.batchesByState.complete).toBe(creates.length);
  }, 60_000);

  it("wrote no secret and no contact email to its logs", async () => {
    logger.flush();
    const { lines, leaks } = findLeaks([logPath]);
    expect(lines).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });
});

if (!postgres.url) {
  describe("two instances on PostgreSQL", () => {
    it.skip(`is skipped: ${postgres.reason}`, () => {});
  });
}
