import type { AddressInfo } from "node:net";
import { isDroppedResponse } from "./_responses.ts";
import { createFakeServer, type FakeServer, type FakeServerOptions } from "./fake-server.ts";

/** Options of {@linkcode startFakeServer}: the server's, plus where to listen. */
export interface StartFakeServerOptions extends Omit<FakeServerOptions, "origin"> {
  /** The port (default 0: any free port). */
  port?: number;
  /** The interface (default `127.0.0.1`). */
  host?: string;
}

/** A fake server listening on a real socket. */
export interface RunningFakeServer {
  /** The API root for clients: `http://{host}:{port}/ws/customers`. */
  url: string;
  /** The origin alone: `http://{host}:{port}`. */
  origin: string;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
  /** The fake server (its `control`, its `app`). */
  server: FakeServer;
}

/**
 * Starts a fake server on a real socket (Node only): for clients that must go over the network,
 * and for faults that drop the connection (the socket is destroyed).
 *
 * @param options The server's options, `port` (default 0) and `host` (default `127.0.0.1`).
 * @returns Its URL, `close()` and the server.
 *
 * @example Listening on a free port
 * ```ts
 * import { startFakeServer } from "@ctct-bulk/fake-server";
 * const running = await startFakeServer();
 * const response = await fetch(`${running.url}/joesflowers/activities`);
 * response.status; // 401: credentials needed
 * await running.close();
 * ```
 */
export async function startFakeServer(
  options: StartFakeServerOptions = {},
): Promise<RunningFakeServer> {
  // Loaded here so that the package's root imports nothing from Node until a socket is asked for.
  const { createAdaptorServer } = await import("@hono/node-server");
  const { port = 0, host = "127.0.0.1", ...serverOptions } = options;
  let origin = "";
  const server = createFakeServer({ ...serverOptions, origin: "http://placeholder" });
  const listener = createAdaptorServer({
    fetch: async (request, env) => {
      const response = await server.app.fetch(request, env);
      if (isDroppedResponse(response)) {
        await response.body?.cancel();
        env.incoming.socket.destroy();
      }
      return response;
    },
    hostname: host,
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(port, host, () => {
      listener.off("error", reject);
      resolve();
    });
  });
  const address = listener.address() as AddressInfo;
  const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${hostPart}:${address.port}`;
  server.baseUrl = `${origin}/ws/customers`;
  const sockets = new Set<import("node:net").Socket>();
  listener.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  return {
    url: server.baseUrl,
    origin,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        listener.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The house-style message for a socket that cannot listen (Node's own names the syscall), as
 * `ctct-fake-server` and `ctct-bulk fake-server` say it.
 *
 * @param error The error `listen` failed with.
 * @param host The host it tried.
 * @param port The port it tried.
 * @returns One line saying what went wrong and what to do.
 *
 * @example A port already in use
 * ```ts
 * import { describeListenError } from "@ctct-bulk/fake-server";
 * const error = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
 * describeListenError(error, "127.0.0.1", 8787).startsWith("Port 8787 on 127.0.0.1 is already in use"); // true
 * ```
 */
export function describeListenError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
): string {
  if (error.code === "EADDRINUSE")
    return `Port ${port} on ${host} is already in use: stop what holds it, or pick another with --port (0 takes any free port)`;
  if (error.code === "EACCES")
    return `Cannot listen on ${host} port ${port}: permission denied (ports below 1024 need privileges)`;
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND")
    return `Cannot listen on --host "${host}": no such local address`;
  return `Cannot listen on ${host} port ${port}: ${error.message}`;
}
