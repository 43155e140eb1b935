import type { ActivityErrorsShape } from "@ctct-bulk/core";
import { Hono } from "hono";
import { WWW_AUTHENTICATE } from "./_auth.ts";
import { droppedResponse, isDroppedResponse, textError } from "./_responses.ts";
import type { FakeSeed } from "./accounts.ts";
import { type ActivityWork, createActivityExecutor } from "./activity-work.ts";
import { apiRoutes, type FakeEnv } from "./api-routes.ts";
import type { ClockMode } from "./clock.ts";
import { createControl, type FakeControl } from "./control.ts";
import type { FaultRule } from "./faults.ts";
import { INSPECTION_PREFIX, inspectionRoutes } from "./inspection-routes.ts";
import type { RecordedRequest } from "./requests-log.ts";
import { DEFAULT_JOB_DELAY, ServerState } from "./server-state.ts";

/**
 * The origin the in-process server answers on (no socket: `fetch` reaches the app directly).
 *
 * @example The base URL of an in-process server
 * ```ts
 * import { createFakeServer, IN_PROCESS_ORIGIN } from "@ctct-bulk/fake-server";
 * createFakeServer().baseUrl === `${IN_PROCESS_ORIGIN}/ws/customers`; // true
 * ```
 */
export const IN_PROCESS_ORIGIN = "http://fake.ctct.test";

/** Options of {@linkcode createFakeServer}. */
export interface FakeServerOptions {
  /** Accounts, lists and contacts to start with (besides the default account). */
  seed?: FakeSeed;
  /** Whether the default account (`joesflowers`, lists 1–5) exists (default `true`). */
  defaultAccount?: boolean;
  /**
   * How the jobs' clock moves (default `"immediate"`): `"immediate"` runs each job to its end
   * while its POST is answered; `"realistic"` follows real time, each status step taking
   * `jobDelay` ms; `"manual"` stands still until `control.advance(ms)` or `control.runJobs()`.
   */
  clock?: ClockMode;
  /** ms per status step (PENDING→QUEUED→RUNNING→COMPLETE); default 400 realistic, 1000 manual. */
  jobDelay?: number;
  /** Where the server clock starts (default: now). */
  now?: Date | string | number;
  /** The seed of the generator behind activity ids and `rate` faults (default 1). */
  randomSeed?: number;
  /** Faults active from the start. */
  faults?: readonly FaultRule[];
  /** The origin of `baseUrl` in process (default `http://fake.ctct.test`). */
  origin?: string;
  /** Entries per page of `GET /activities` (default 50, as the real API). */
  pageSize?: number;
  /** The most bytes of encoded `data`, or of a `dataFile`, one activity takes (default 1,900,000). */
  maxDataBytes?: number;
  /** How activities' `Errors` are written: `"elements"` (default, as the seed), `"count"`, `"lines"`. */
  errorsShape?: ActivityErrorsShape;
  /**
   * How much parameter text (characters of the decoded names and values) the request log keeps
   * over all its entries (default 8 MiB). The newest requests keep their `params`; older ones keep
   * the rest and say `paramsDropped: true`, so big imports do not fill memory with the log (ADR 0135).
   */
  requestLogBodyBytes?: number;
}

/** A `fetch` that reaches the fake server's app with no socket. */
export type FakeFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** A fake Bulk Activities API. */
export interface FakeServer {
  /** The Hono app (`app.fetch(request)` answers a `Request`). */
  app: Hono<FakeEnv>;
  /**
   * A `fetch` for clients: reaches the app with no socket, honours `signal`, and rejects with a
   * `TypeError` where a fault drops the connection (as a network failure does).
   */
  fetch: FakeFetch;
  /** The typed inspection API. */
  control: FakeControl;
  /** The API root for clients, `{origin}/ws/customers` (the client appends `/{username}`). */
  baseUrl: string;
}

function startTime(now: FakeServerOptions["now"]): number | undefined {
  if (now === undefined) return undefined;
  const time =
    now instanceof Date ? now.getTime() : typeof now === "number" ? now : Date.parse(now);
  if (Number.isNaN(time))
    throw new TypeError(`Invalid start time "${String(now)}": expected a date`);
  return time;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Creates a fake Bulk Activities API: a Hono app that behaves like the real one (accounts and
 * auth, lists, contacts, activities that really change them, exports, paging, errors), with a
 * clock the test controls, fault injection and an inspection API. It needs no socket: give
 * `fetch` and `baseUrl` to the client.
 *
 * @param options Seed, clock, faults, limits.
 * @returns The app, its in-process `fetch`, the control API and the base URL.
 *
 * @example An add, seen in the state at once (immediate clock)
 * ```ts
 * import { createFakeServer, DEFAULT_ACCOUNT } from "@ctct-bulk/fake-server";
 * const server = createFakeServer();
 * const auth = `Basic ${btoa(`${DEFAULT_ACCOUNT.apiKey}%${DEFAULT_ACCOUNT.username}:${DEFAULT_ACCOUNT.password}`)}`;
 * const list = "http://api.constantcontact.com/ws/customers/joesflowers/lists/2";
 * const response = await server.fetch(`${server.baseUrl}/joesflowers/activities`, {
 *   method: "POST",
 *   headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
 *   body: new URLSearchParams({ activityType: "SV_ADD", data: "EMAIL ADDRESS\nann@example.com", lists: list }),
 * });
 * response.status; // 201
 * server.control.members(2).map((member) => member.email); // ["ann@example.com"]
 * ```
 */
export function createFakeServer(options: FakeServerOptions = {}): FakeServer {
  const clock = options.clock ?? "immediate";
  if (!["immediate", "realistic", "manual"].includes(clock))
    throw new TypeError(`Invalid clock "${clock}": expected immediate, realistic or manual`);
  const logBudget = options.requestLogBodyBytes;
  if (logBudget !== undefined && !(Number.isSafeInteger(logBudget) && logBudget >= 0))
    throw new TypeError(
      `Invalid requestLogBodyBytes "${String(logBudget)}": expected a whole number ≥ 0`,
    );
  const settings = {
    clock,
    jobDelay: options.jobDelay ?? DEFAULT_JOB_DELAY[clock],
    randomSeed: options.randomSeed ?? 1,
    includeDefaultAccount: options.defaultAccount ?? true,
    faults: options.faults ?? [],
    ...(logBudget === undefined ? {} : { requestLogBodyBytes: logBudget }),
  };
  const start = startTime(options.now);
  const state = new ServerState<ActivityWork>(
    {
      ...settings,
      ...(start === undefined ? {} : { start }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    },
    createActivityExecutor,
  );
  const control = createControl(state);
  // Not strict: `/activities/` is `/activities`, as clients that join paths carelessly expect.
  const app = new Hono<FakeEnv>({ strict: false });

  app.use("*", async (c, next) => {
    const url = new URL(c.req.url);
    const contentType = c.req.header("content-type");
    const record: RecordedRequest = {
      at: new Date(state.now()).toISOString(),
      method: c.req.method,
      path: url.pathname,
      query: url.search.slice(1),
      bodyBytes: Number(c.req.header("content-length") ?? 0) || 0,
      auth: "none",
      status: 0,
    };
    if (contentType !== undefined) record.contentType = contentType;
    c.set("record", record);
    c.set("failJob", false);
    await next();
    if (url.pathname.startsWith(`${INSPECTION_PREFIX}/`)) return;
    record.status = isDroppedResponse(c.res) ? 0 : c.res.status;
    state.requests.push(record);
  });

  inspectionRoutes(app, control);

  app.use("/ws/*", async (c, next) => {
    const record = c.get("record");
    const decision = state.faults.decide(c.req.method, record.path);
    if (decision.latencyMs > 0) await delay(decision.latencyMs, c.req.raw.signal);
    const outcome = decision.outcome;
    if (outcome !== undefined) record.fault = outcome.kind;
    else if (decision.failJob) record.fault = "job-error";
    switch (outcome?.kind) {
      case "drop":
        return droppedResponse("before");
      case "status":
        return injectedStatus(outcome.status ?? 500, outcome.retryAfter);
      case "rate-limit":
        return textError(429, "Too Many Requests: slow down (injected fault)", {
          "retry-after": String(outcome.retryAfter ?? 1),
        });
      default:
        break;
    }
    c.set("failJob", decision.failJob);
    await next();
    if (outcome?.kind === "lose-response") c.res = droppedResponse("after");
    return undefined;
  });

  apiRoutes(app, state, {
    pageSize: options.pageSize ?? 50,
    maxDataBytes: options.maxDataBytes ?? 1_900_000,
    errorsShape: options.errorsShape ?? "elements",
  });

  app.notFound((c) => textError(404, `Not found: "${new URL(c.req.url).pathname}"`));
  app.onError((error) => textError(500, `Internal server error: ${error.message}`));

  const fetch: FakeFetch = async (input, init) => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await abortable(Promise.resolve(app.fetch(request)), request.signal);
    if (isDroppedResponse(response)) {
      await response.body?.cancel();
      throw new TypeError("fetch failed", {
        cause: new Error("Connection dropped by the fake server (injected fault)"),
      });
    }
    return response;
  };

  const origin = (options.origin ?? IN_PROCESS_ORIGIN).replace(/\/+$/, "");
  return { app, fetch, control, baseUrl: `${origin}/ws/customers` };
}

/** The words of the statuses a client must handle (SPEC 1.3), for an injected status's body. */
const STATUS_WORDS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
};

/**
 * An injected `"status"` fault's answer: with the header the API sends beside that status (SPEC
 * 1.1, 1.3: a 401's challenge, a 405's `Allow`, a 429's `Retry-After`), so that a client meets
 * the answer it would meet from the API, and with words that fit the status.
 */
function injectedStatus(status: number, retryAfter: number | undefined): Response {
  const headers: Record<string, string> = {};
  if (status === 401) headers["www-authenticate"] = WWW_AUTHENTICATE;
  if (status === 405) headers.allow = "GET";
  if (status === 429) headers["retry-after"] = String(retryAfter ?? 1);
  const words =
    status === 503
      ? "Service Unavailable: the server is busy"
      : (STATUS_WORDS[status] ?? `${status >= 500 ? "Server" : "Client"} error ${status}`);
  return textError(status, `${words} (injected fault)`, headers);
}
