/**
 * The Node edge of the service: a socket server for the Hono app, with timeouts against slow
 * clients (headers, whole request, idle keep-alive), closed gracefully.
 *
 * @module
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** Options of {@linkcode listenWebhookServer}. */
export interface ListenOptions {
  /**
   * The app's handler (`app.fetch`); `env` is the adapter's `{ incoming, outgoing }` (Node's
   * request and response), which the app's Node body reader uses (`readNodeBody`).
   */
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  host: string;
  /** The port; 0 for any free one. */
  port: number;
  /** A client must have sent all headers within this time, or it is cut. */
  headersTimeoutMs: number;
  /** A client must have sent the whole request within this time, or it is cut. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time; 5 s unless given. */
  keepAliveTimeoutMs?: number;
}

/** A listening server; see {@linkcode listenWebhookServer}. */
export interface WebhookServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** Stops accepting connections, lets the requests in progress finish, then closes idle ones. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP server for the app.
 *
 * @param options The handler, address and timeouts.
 * @returns The server, once it listens.
 *
 * @example Listening on a free port
 * ```ts
 * import { listenWebhookServer } from "@ctct-bulk/webhook";
 * const server = await listenWebhookServer({ fetch: app.fetch, host: "127.0.0.1", port: 0,
 *   headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 });
 * await server.close();
 * ```
 */
export function listenWebhookServer(options: ListenOptions): Promise<WebhookServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: options.fetch,
        hostname: options.host,
        port: options.port,
        serverOptions: {
          headersTimeout: options.headersTimeoutMs,
          requestTimeout: options.requestTimeoutMs,
          keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
          // Node checks the two timeouts above at this interval (30 s by default)
          connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
        },
      },
      (info: AddressInfo) => {
        const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => done());
              if ("closeIdleConnections" in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
