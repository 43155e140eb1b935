/**
 * The Node edge's body reader for the app: a push's body read straight from Node's
 * `IncomingMessage` (what `@hono/node-server` passes as `c.env.incoming`), its Buffer chunks
 * counted against the limit, instead of through the web `Request`'s `arrayBuffer()` or stream.
 * The app reads through {@linkcode readBodyWithin} unless given this (`service.ts` gives it, as it
 * gives the node:crypto keys); both give the same answers (`node-body.test.ts`, and the 413 tests
 * over a socket in `test/service.test.ts`).
 *
 * Hand-written rather than taken from a library because it has to count bytes as they arrive
 * and stop at the limit, with the same outcomes as `readBodyWithin`; and because it is on every
 * push's path: the adapter's `arrayBuffer()` goes through three promises and copies the body into
 * a new `ArrayBuffer` (the pushes benchmark's profile, ADR 0140).
 *
 * @module
 */
import type { IncomingMessage } from "node:http";
import { type BodyResult, readBodyWithin } from "./body.ts";

/**
 * Reads a Node request's body, refusing it once it passes `limit` bytes: a `Content-Length` over
 * the limit before reading anything, a longer body (chunked, or a header that lied) as soon as
 * the limit is passed; a client that stops sending before the end is `aborted`.
 *
 * @param incoming The request, as Node's HTTP server gives it.
 * @param limit The most bytes allowed.
 * @returns The bytes (a Buffer, which is a Uint8Array), or why there are none.
 *
 * @example A body within the limit
 * ```ts
 * import { readIncomingWithin } from "@ctct-bulk/webhook";
 * // in a node:http handler: const result = await readIncomingWithin(request, 65_536);
 * ```
 */
export function readIncomingWithin(incoming: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = incoming.headers["content-length"];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) {
    // nothing is read: the 413 goes with "connection: close" and the adapter drains the rest
    return Promise.resolve({ ok: false, reason: "too-large", received: 0 });
  }
  if (incoming.readableEnded) return Promise.resolve({ ok: true, bytes: new Uint8Array(0) });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const settle = (result: BodyResult) => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onAbort);
      incoming.off("close", onAbort);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      // past the limit: the rest flows on to no listener (dropped), as the adapter drains it
      if (total > limit) settle({ ok: false, reason: "too-large", received: total });
      else chunks.push(chunk);
    };
    const onEnd = () =>
      settle({
        ok: true,
        bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total),
      });
    // an error, or the socket closed before the end: the client stopped sending
    const onAbort = () => settle({ ok: false, reason: "aborted" });
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onAbort);
    incoming.on("close", onAbort);
  });
}

/**
 * The app's `readBody` at the Node edge: the body from `env.incoming` when the request came
 * through `@hono/node-server`, through {@linkcode readBodyWithin} otherwise (`app.request` in
 * tests, another runtime).
 *
 * @param request The web request.
 * @param env The adapter's bindings (`{ incoming, outgoing }` on Node).
 * @param limit The most bytes allowed.
 * @returns The bytes, or why there are none.
 *
 * @example Wiring it into the app
 * ```ts
 * import { createWebhookApp, readNodeBody } from "@ctct-bulk/webhook";
 * const app = createWebhookApp({ config, store, readBody: readNodeBody });
 * ```
 */
export function readNodeBody(request: Request, env: unknown, limit: number): Promise<BodyResult> {
  const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming && typeof incoming.on === "function"
    ? readIncomingWithin(incoming, limit)
    : readBodyWithin(request, limit);
}
