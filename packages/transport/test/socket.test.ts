import { inspect } from "node:util";
import { DEFAULT_ACCOUNT, type RunningFakeServer, startFakeServer } from "@ctct-bulk/fake-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CtctClient, createClient, NetworkError, type RetryOptions } from "../src/mod.ts";
import { expectNoSecretsIn, failure, seenErrors } from "./_helpers.ts";

let running: RunningFakeServer;
let client: CtctClient;

beforeAll(async () => {
  running = await startFakeServer({ clock: "realistic", jobDelay: 20 });
  client = createClient({
    ...DEFAULT_ACCOUNT,
    baseUrl: running.url,
    retry: { initialDelay: 5, maxDelay: 50 },
    rateLimit: { requestsPerSecond: 200, concurrency: 4 },
  });
});

afterAll(async () => {
  await running?.close();
  await expectNoSecretsIn([...seenErrors, client]);
});

/**
 * An add sent where nothing listens (a fake server started and closed again): the methods the
 * client sent and the error it ended with. (An add, since clearLists() reads the lists' names
 * first: an add is a create with no request before it.)
 */
async function addWhereNothingListens(retry: Partial<RetryOptions> | false) {
  const closed = await startFakeServer();
  await closed.close();
  const methods: string[] = [];
  const offline = createClient({
    ...DEFAULT_ACCOUNT,
    baseUrl: closed.url,
    retry,
    onRequest: (event) => methods.push(event.method),
  });
  const error = await failure(
    offline.activities.addContacts("EMAIL ADDRESS\nsock@example.com\n", { lists: [1] }),
  );
  return { methods, error };
}

describe("over a real socket (startFakeServer, global fetch)", () => {
  it("adds contacts, waits with real polling, and sees them on the list", async () => {
    const created = await client.activities.addContacts(
      "EMAIL ADDRESS,FIRST NAME\nsock@example.com,Sock\n",
      {
        lists: ["Monthly newsletter"],
      },
    );
    const { outcome } = await client.activities.wait(created, {
      poll: { initialInterval: 10, maxInterval: 50 },
    });
    expect(outcome).toBe("complete");
    expect(running.server.control.members(3).map((member) => member.email)).toContain(
      "sock@example.com",
    );
  });

  it("a connection the server destroys gives NetworkError after the retries", async () => {
    running.server.control.addFault({
      route: "GET /ws/customers/:username/lists/:id",
      kind: "drop",
    });
    const error = await failure(client.lists.get(1));
    running.server.control.clearFaults();
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.url).toBe(`${running.url}/joesflowers/lists/1`);
  });

  it("a create whose response is lost on the wire is found in the activities list", async () => {
    running.server.control.addFault({
      route: "POST /ws/customers/:username/activities",
      kind: "lose-response",
      times: 1,
    });
    const before = running.server.control.activities().length;
    const created = await client.activities.clearLists([5]);
    expect(created.recovered).toBe(true);
    expect(running.server.control.activities()).toHaveLength(before + 1);
  });

  it("downloads an export over the socket", async () => {
    running.server.control.addContacts([{ email: "exp@example.com", lists: [1] }]);
    const created = await client.activities.exportContacts({ list: 1, columns: [] });
    await client.activities.wait(created, { poll: { initialInterval: 10, maxInterval: 50 } });
    const text = await new Response(await client.activities.downloadExport(created)).text();
    expect(text).toContain("exp@example.com");
  });

  it("a create that cannot connect at all is sent again without looking for it, then fails typed", async () => {
    const { methods, error } = await addWhereNothingListens({
      limit: 2,
      initialDelay: 1,
      maxDelay: 5,
    });
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.cause.cause?.code ?? error.cause.code).toBe("ECONNREFUSED");
    // Sent again as a fresh create under the retry policy, and never looked for (no GET).
    expect(methods).toEqual(["POST", "POST", "POST"]);
    expect(error.notSent).toBe(true);
    expect(error.message).toMatch(
      /none of its 3 attempts reached the server, so nothing was created/,
    );
  });

  it("a create refused at once with retries off fails straight, saying nothing was created", async () => {
    const { methods, error } = await addWhereNothingListens(false);
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(error.notSent).toBe(true);
    expect(error.message).toMatch(/the request never reached the server, so nothing was created/);
    expect(methods).toEqual(["POST"]);
  });

  it("a create whose connection drops is looked for before it is sent again (it may have arrived)", async () => {
    // A server of its own: the activities the other tests created would look like candidates.
    const own = await startFakeServer();
    own.server.control.addFault({
      route: "POST /ws/customers/:username/activities",
      kind: "drop",
      times: 1,
    });
    const methods: string[] = [];
    const watched = createClient({
      ...DEFAULT_ACCOUNT,
      baseUrl: own.url,
      retry: { initialDelay: 5, maxDelay: 50 },
      onRequest: (event) => methods.push(`${event.method} ${event.error?.name ?? event.status}`),
    });
    try {
      const created = await watched.activities.addContacts("EMAIL ADDRESS\ndrop@example.com\n", {
        lists: [1],
      });
      expect(methods).toEqual(["POST NetworkError", "GET 200", "POST 201"]);
      expect(created).toMatchObject({ attempts: 2, recovered: false });
      expect(own.server.control.activities()).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it("shows no credentials in the client's JSON, string or inspection", () => {
    expect(JSON.stringify(client)).toBe(
      JSON.stringify({ username: "joesflowers", baseUrl: running.url }),
    );
    expect(String(client)).toBe(`CtctClient(joesflowers @ ${running.url})`);
    expect(inspect(client, { showHidden: true, depth: 10 })).not.toMatch(
      /demo-(key|password|token)/,
    );
    expect(inspect(client.activities, { showHidden: true, depth: 10 })).not.toMatch(
      /demo-(key|password|token)/,
    );
    expect(JSON.stringify(client.lists)).toBe("{}");
  });
});
