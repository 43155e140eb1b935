import { Hono } from "hono";

/** A fake server: the Hono app and a `fetch` that reaches it with no socket. */
export interface FakeServer {
  app: Hono;
  fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
}

/**
 * Creates a fake Bulk Activities API.
 *
 * @example Asking the fake server for its health
 * ```ts
 * import { createFakeServer } from "@ctct-bulk/fake-server";
 * const server = createFakeServer();
 * (await server.fetch("http://fake/_fake/health")).status; // 200
 * ```
 */
export function createFakeServer(): FakeServer {
  const app = new Hono();
  app.get("/_fake/health", (c) => c.text("ok"));
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> =>
    app.fetch(input instanceof Request ? input : new Request(input, init));
  return { app, fetch };
}
