import type { Context, Hono } from "hono";
import type { FakeSeed } from "./accounts.ts";
import type { FakeEnv } from "./api-routes.ts";
import type { FakeControl } from "./control.ts";
import { checkFaultRule } from "./faults.ts";

/**
 * The prefix of the inspection API. It needs no credentials and is never faulted.
 *
 * @example Reading the request log of a server in another process
 * ```ts
 * import { INSPECTION_PREFIX, startFakeServer } from "@ctct-bulk/fake-server";
 * const running = await startFakeServer();
 * const log = await fetch(`${running.origin}${INSPECTION_PREFIX}/requests`);
 * await log.json(); // []
 * await running.close();
 * ```
 */
export const INSPECTION_PREFIX = "/_fake";

async function readJson(c: Context<FakeEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`Invalid JSON body: ${(error as Error).message}`);
  }
}

function jsonError(c: Context<FakeEnv>, error: unknown): Response {
  return c.json({ error: error instanceof Error ? error.message : String(error) }, 400);
}

/**
 * Registers the inspection API (`/_fake/…`, JSON): the same operations as the typed
 * {@linkcode FakeControl}, for a server running in another process.
 *
 * | route | what it does |
 * |---|---|
 * | `GET /_fake/health` | `ok` |
 * | `POST /_fake/reset` | back to the state at start |
 * | `POST /_fake/seed` | applies a seed (JSON: accounts, lists, contacts) |
 * | `GET /_fake/accounts` | usernames and lists (no credentials) |
 * | `GET /_fake/accounts/{u}/contacts[/{email}]` | contacts |
 * | `GET /_fake/accounts/{u}/lists/{id}/members` | a list's members, with dates and sources |
 * | `GET /_fake/accounts/{u}/activities` | activities, newest first |
 * | `GET/DELETE /_fake/requests` | the requests received (never credentials) / forget them |
 * | `GET /_fake/clock`, `POST /_fake/clock/advance` `{"ms": n}` | the server clock |
 * | `POST /_fake/jobs/run` | runs every unfinished job to its end |
 * | `GET/POST/DELETE /_fake/faults`, `DELETE /_fake/faults/{id}` | fault rules |
 *
 * @param app The app.
 * @param control The control API.
 */
export function inspectionRoutes(app: Hono<FakeEnv>, control: FakeControl): void {
  const p = INSPECTION_PREFIX;
  const guarded =
    (handler: (c: Context<FakeEnv>) => Response | Promise<Response>) =>
    async (c: Context<FakeEnv>): Promise<Response> => {
      try {
        return await handler(c);
      } catch (error) {
        return jsonError(c, error);
      }
    };
  const user = (c: Context<FakeEnv>) => ({ username: c.req.param("username") ?? "" });

  app.get(`${p}/health`, (c) => c.text("ok"));
  app.post(
    `${p}/reset`,
    guarded((c) => {
      control.reset();
      return c.json({ ok: true });
    }),
  );
  app.post(
    `${p}/seed`,
    guarded(async (c) => {
      const seed = await readJson(c);
      if (typeof seed !== "object" || seed === null)
        throw new TypeError(
          "Invalid seed: expected a JSON object with accounts, lists or contacts",
        );
      control.seed(seed as FakeSeed);
      return c.json({ ok: true });
    }),
  );
  app.get(
    `${p}/accounts`,
    guarded((c) =>
      c.json(
        control.accountNames().map((username) => ({
          username,
          lists: control.lists({ username }),
        })),
      ),
    ),
  );
  app.get(
    `${p}/accounts/:username/contacts`,
    guarded((c) => c.json(control.contacts(user(c)))),
  );
  app.get(
    `${p}/accounts/:username/contacts/:email`,
    guarded((c) => {
      const contact = control.contact(c.req.param("email") ?? "", user(c));
      return contact === undefined ? c.json({ error: "No such contact" }, 404) : c.json(contact);
    }),
  );
  app.get(
    `${p}/accounts/:username/lists/:listId/members`,
    guarded((c) => c.json(control.members(c.req.param("listId") ?? "", user(c)))),
  );
  app.get(
    `${p}/accounts/:username/activities`,
    guarded((c) => c.json(control.activities(user(c)))),
  );
  app.get(`${p}/requests`, (c) => c.json(control.requests()));
  app.delete(`${p}/requests`, (c) => {
    control.clearRequests();
    return c.json({ ok: true });
  });
  app.get(`${p}/clock`, (c) => c.json({ now: control.now().toISOString() }));
  app.post(
    `${p}/clock/advance`,
    guarded(async (c) => {
      const body = (await readJson(c)) as { ms?: unknown } | undefined;
      const ms = Number(body?.ms ?? c.req.query("ms"));
      if (!Number.isFinite(ms)) throw new TypeError('Invalid clock step: expected {"ms": number}');
      control.advance(ms);
      return c.json({ now: control.now().toISOString() });
    }),
  );
  app.post(`${p}/jobs/run`, (c) => {
    control.runJobs();
    return c.json({ now: control.now().toISOString() });
  });
  app.get(`${p}/faults`, (c) => c.json(control.faults()));
  app.post(
    `${p}/faults`,
    guarded(async (c) => {
      const body = await readJson(c);
      const rules = Array.isArray(body) ? body : [body];
      const checked = rules.map((rule, index) => checkFaultRule(rule, `fault ${index + 1}`));
      return c.json({ ids: checked.map((rule) => control.addFault(rule)) }, 201);
    }),
  );
  app.delete(`${p}/faults`, (c) => {
    control.clearFaults();
    return c.json({ ok: true });
  });
  app.delete(`${p}/faults/:id`, (c) =>
    control.removeFault(c.req.param("id") ?? "")
      ? c.json({ ok: true })
      : c.json({ error: "No such fault" }, 404),
  );
}
