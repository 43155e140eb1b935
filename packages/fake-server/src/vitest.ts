/**
 * `@ctct-bulk/fake-server/vitest`: wires a fake server into a vitest suite.
 *
 * @module
 */
import { afterAll, afterEach, beforeAll } from "vitest";
import { createFakeServer, type FakeServer, type FakeServerOptions } from "./fake-server.ts";
import { type RunningFakeServer, type StartFakeServerOptions, startFakeServer } from "./start.ts";

/** Options of {@linkcode useFakeServer}. */
export interface UseFakeServerOptions extends StartFakeServerOptions {
  /** Listen on a real socket (default `false`: in process, reached through `server.fetch`). */
  socket?: boolean;
  /** Reset the server's state after each test (default `true`). */
  resetEachTest?: boolean;
}

/** What {@linkcode useFakeServer} returns: getters valid inside tests (after `beforeAll`). */
export interface FakeServerHandle {
  /** The fake server (its `fetch`, `control`, `app`). */
  readonly server: FakeServer;
  /** The API root for clients (in process or the socket's). */
  readonly baseUrl: string;
  /** The running socket server, when `socket: true`. */
  readonly running: RunningFakeServer | undefined;
}

/**
 * Creates a fake server before the suite's tests (`beforeAll`), resets it after each test and
 * stops it after the suite (`afterAll`).
 *
 * @param options The server's options; `socket: true` to listen on a port.
 * @returns A handle whose getters give the server inside tests.
 *
 * @example In a test file
 * ```ts
 * import { useFakeServer } from "@ctct-bulk/fake-server/vitest";
 * import { it, expect } from "vitest";
 * const fake = useFakeServer();
 * it("lists the default account's lists", async () => {
 *   const response = await fake.server.fetch(`${fake.baseUrl}/joesflowers/lists`, {
 *     headers: { authorization: "Bearer demo-token" },
 *   });
 *   expect(response.status).toBe(200);
 * });
 * ```
 */
export function useFakeServer(options: UseFakeServerOptions = {}): FakeServerHandle {
  const { socket = false, resetEachTest = true, ...serverOptions } = options;
  let server: FakeServer | undefined;
  let running: RunningFakeServer | undefined;
  beforeAll(async () => {
    if (socket) {
      running = await startFakeServer(serverOptions);
      server = running.server;
    } else {
      const { port: _port, host: _host, ...inProcess } = serverOptions;
      server = createFakeServer(inProcess as FakeServerOptions);
    }
  });
  afterEach(() => {
    if (resetEachTest) server?.control.reset();
  });
  afterAll(async () => {
    await running?.close();
    running = undefined;
    server = undefined;
  });
  const current = (): FakeServer => {
    if (server === undefined)
      throw new Error("The fake server is not running: use it inside tests, after beforeAll");
    return server;
  };
  return {
    get server() {
      return current();
    },
    get baseUrl() {
      return current().baseUrl;
    },
    get running() {
      return running;
    },
  };
}
