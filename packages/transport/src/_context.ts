// The client's private request context: its options checked, its credentials, its ky instance,
// clock, limiter and retry settings. Nothing here is exported from the package but the types.
import { API_BASE_URL } from "@ctct-bulk/core";
import ky, { type KyInstance } from "ky";
import { redactUrl } from "./_redact.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { CtctError } from "./ctct-error.ts";
import {
  createRateLimiter,
  createUnlimitedRateLimiter,
  type RateLimiter,
  type RateLimitOptions,
} from "./rate-limiter.ts";

/** How the client retries requests that are safe to repeat. */
export interface RetryOptions {
  /** Retries after the first attempt (default 5; 0 turns retries off). */
  limit?: number;
  /** The first backoff delay in milliseconds (default 500). */
  initialDelay?: number;
  /** The largest backoff delay in milliseconds (default 30,000). */
  maxDelay?: number;
  /** The factor each backoff delay grows by (default 2). */
  factor?: number;
  /** The random share of each backoff delay, 0 to 1 (default 0.5). */
  jitter?: number;
  /**
   * The longest `Retry-After` the client waits for, in milliseconds (default 300,000). A server
   * asking for longer gets a {@linkcode RateLimitedError} at once: the client never retries sooner
   * than asked.
   */
  maxRetryAfter?: number;
}

/**
 * The retry defaults: 5 retries, 500 ms doubling to 30 s with half of each delay random, and no
 * waiting longer than 5 minutes for a `Retry-After`.
 *
 * @example Retrying harder than the defaults
 * ```ts
 * import { createClient, DEFAULT_RETRY } from "@ctct-bulk/transport";
 * const client = createClient({
 *   username: "joesflowers",
 *   accessToken: "…",
 *   retry: { ...DEFAULT_RETRY, limit: DEFAULT_RETRY.limit * 2 },
 * });
 * ```
 */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  limit: 5,
  initialDelay: 500,
  maxDelay: 30_000,
  factor: 2,
  jitter: 0.5,
  maxRetryAfter: 300_000,
};

/** What the client reports about each attempt, e.g. for a `--verbose` log (no credentials). */
export interface RequestEvent {
  /** The HTTP method. */
  method: string;
  /** The URL, credentials stripped. */
  url: string;
  /** The attempt's number, from 1. */
  attempt: number;
  /** The response's status, when one came. */
  status?: number;
  /** The error, when the attempt failed. */
  error?: CtctError;
  /** How long the attempt took, in milliseconds. */
  durationMs: number;
  /** When a retry follows: the delay before it, in milliseconds. */
  retryIn?: number;
}

/** Everything a request needs; private to the client (it holds the credentials). */
export interface HttpContext {
  /** The API root, e.g. `https://api.constantcontact.com/ws/customers` (no trailing slash). */
  baseUrl: string;
  /** The account's URL: `{baseUrl}/{username}`. */
  accountUrl: string;
  username: string;
  ky: KyInstance;
  clock: Clock;
  random: () => number;
  limiter: RateLimiter;
  retry: Required<RetryOptions>;
  timeout: number | false;
  authorization: string;
  secrets: readonly string[];
  onRequest?: ((event: RequestEvent) => void) | undefined;
  /** Whether byte bodies are sent as streams with a `Content-Length` (see {@linkcode UploadBodies}). */
  streamBodies: boolean;
}

/** One request as the client sends it. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  /**
   * The body: text, bytes, or bytes in pieces sent one after the other (a chunk's body without
   * assembling it). Bytes are never modified while the request's attempts may read them.
   */
  body?: string | Uint8Array | readonly Uint8Array[];
  contentType?: string;
  accept?: string;
  signal?: AbortSignal | undefined;
}

/**
 * Builds the ky instance: the injected fetch, the per-attempt timeout, no retries (ours are in
 * {@linkcode sendWithRetry}), no throwing on HTTP errors (ours are typed).
 */
export function createKy(options: {
  fetch: FetchFunction;
  timeout: number | false;
  userAgent: string;
}): KyInstance {
  return ky.create({
    fetch: options.fetch as typeof globalThis.fetch,
    timeout: options.timeout,
    // Also what keeps ky from cloning each Request for its retries: a clone tees a stream body,
    // and the tee holds the whole body in memory (ADR 0100).
    retry: 0,
    throwHttpErrors: false,
    headers: { "user-agent": options.userAgent },
  });
}

/** The `Authorization` header's value for either kind of credentials. */
export function authorizationHeader(credentials: {
  username: string;
  apiKey?: string;
  password?: string;
  accessToken?: string;
}): string {
  if (credentials.accessToken) return `Bearer ${credentials.accessToken}`;
  const pair = `${credentials.apiKey}%${credentials.username}:${credentials.password}`;
  const bytes = new TextEncoder().encode(pair);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * The credentials: HTTP Basic with the API key and password, or an OAuth 2 access token. When an
 * `accessToken` is given it is used (Bearer), even beside an API key and password.
 */
export type ClientCredentials =
  | { username: string; apiKey: string; password: string; accessToken?: string }
  | { username: string; accessToken: string; apiKey?: string; password?: string };

/** Everything `createClient()` accepts besides the credentials. */
export interface ClientSettings {
  /** The API root; the username is appended (default `https://api.constantcontact.com/ws/customers`). */
  baseUrl?: string | URL;
  /** The fetch to send requests with (default `globalThis.fetch`): inject a fake server's, a proxy's, a logger's. */
  fetch?: FetchFunction;
  /** Per-attempt timeout in milliseconds for a response to start (default 60,000; `false`: none). */
  timeout?: number | false;
  /** Text put before the client's own user agent, e.g. `"my-app/1.2"`. */
  userAgent?: string;
  /** The client-side rate limit (default 4 requests/s, 2 at once); `false` turns it off. */
  rateLimit?: RateLimitOptions | false;
  /** Retries of requests that are safe to repeat; `false` turns them off. */
  retry?: RetryOptions | false;
  /** Called after every attempt, e.g. for a `--verbose` log; never sees credentials. */
  onRequest?: (event: RequestEvent) => void;
  /** The clock for backoff, polling and deadlines (tests hand in a virtual one). */
  clock?: Clock;
  /** A source of numbers in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
  /**
   * How request bodies of bytes (an import's chunks, multipart uploads) are handed to `fetch`
   * (default `"auto"`); see {@linkcode UploadBodies}.
   */
  uploadBodies?: UploadBodies;
}

/**
 * How request bodies of bytes are handed to `fetch`:
 *
 * - `"stream"`: as a `ReadableStream` of views of the client's own bytes, with an explicit
 *   `Content-Length` (so no chunked encoding). `fetch` copies a byte body when it builds its
 *   `Request`; a stream body is not copied, which saves a dead copy of every request (about 2 MB
 *   per chunk of a big import) until the garbage collector frees it. It needs a `fetch` that
 *   sends a stream body with the given `Content-Length`: Node's own does (undici); browsers
 *   refuse the header and stream only over HTTP/2.
 * - `"buffer"`: as the bytes themselves, which every `fetch` takes.
 * - `"auto"` (the default): `"stream"` on Node with its own `fetch` (none injected, or
 *   `globalThis.fetch` itself), `"buffer"` everywhere else: in browsers, on Deno and Bun (not
 *   checked to keep the header), and with an injected `fetch` (it may not take a stream, or may
 *   read one into memory to clone it).
 */
export type UploadBodies = "auto" | "stream" | "buffer";

/**
 * Whether `fetch` is Node's own: the runtime is Node (not Deno or Bun, which also define
 * `process`) and the fetch is the global one.
 */
function isNodeFetch(fetch: FetchFunction | undefined): boolean {
  if (fetch !== undefined && fetch !== globalThis.fetch) return false;
  const runtime = globalThis as {
    process?: { versions?: Record<string, string | undefined> };
    Deno?: unknown;
    Bun?: unknown;
  };
  const versions = runtime.process?.versions;
  return (
    typeof versions?.node === "string" &&
    versions.bun === undefined &&
    runtime.Deno === undefined &&
    runtime.Bun === undefined
  );
}

/** A `fetch`: the global one, or any function with its shape (a fake server's, a wrapper). */
export type FetchFunction = (
  input: Request | string | URL,
  init?: RequestInit,
) => Promise<Response>;

/** The transport's own user agent. */
export const TRANSPORT_USER_AGENT = "ctct-bulk-transport/0.1";

/**
 * Checks the options of `createClient()` and builds the private request context.
 *
 * @param options Credentials and settings.
 * @returns The context.
 */
export function createHttpContext(options: ClientCredentials & ClientSettings): HttpContext {
  const { username } = options;
  if (typeof username !== "string" || !/^[A-Za-z0-9.\-_@]+$/.test(username))
    throw new TypeError(
      `Invalid username "${String(username)}": expected letters, digits, ".", "-", "_" or "@"`,
    );
  const hasToken = typeof options.accessToken === "string" && options.accessToken !== "";
  const hasKey =
    typeof options.apiKey === "string" &&
    options.apiKey !== "" &&
    typeof options.password === "string";
  if (!hasToken && !hasKey)
    throw new TypeError(
      `Invalid credentials for "${username}": expected apiKey and password, or accessToken`,
    );
  const baseUrl = String(options.baseUrl ?? API_BASE_URL).replace(/\/+$/, "");
  let parsedBase: URL;
  try {
    parsedBase = new URL(baseUrl);
  } catch {
    throw new TypeError(
      `Invalid baseUrl "${redactUrl(baseUrl)}": expected an absolute http(s) URL`,
    );
  }
  if (parsedBase.protocol !== "https:" && parsedBase.protocol !== "http:")
    throw new TypeError(
      `Invalid baseUrl "${redactUrl(baseUrl)}": expected an absolute http(s) URL`,
    );
  if (parsedBase.pathname.toLowerCase().endsWith(`/ws/customers/${username.toLowerCase()}`))
    throw new TypeError(
      `Invalid baseUrl "${redactUrl(baseUrl)}": it ends with the username; give the API root (e.g. "${API_BASE_URL}"), the client appends "/${username}"`,
    );
  if (parsedBase.username || parsedBase.password)
    throw new TypeError(
      `Invalid baseUrl "${redactUrl(baseUrl)}": credentials go in apiKey/password or accessToken, not in the URL`,
    );
  // "/{username}/…" is appended to the path: after a query or fragment it would be swallowed by
  // it, and every request would reach the API root.
  if (parsedBase.search || parsedBase.hash || baseUrl.includes("?") || baseUrl.includes("#"))
    throw new TypeError(
      `Invalid baseUrl "${parsedBase.origin}${parsedBase.pathname}": expected no query (?…) or fragment (#…), the client appends "/${username}/…" to the path`,
    );
  const timeout = options.timeout ?? 60_000;
  if (timeout !== false && !(timeout > 0 && timeout <= 2_147_483_647))
    throw new RangeError(
      `Invalid timeout "${timeout}": expected milliseconds from 1 to 2147483647, or false`,
    );
  const clock = options.clock ?? systemClock;
  const retry =
    options.retry === false
      ? { ...DEFAULT_RETRY, limit: 0 }
      : { ...DEFAULT_RETRY, ...options.retry };
  if (!Number.isInteger(retry.limit) || retry.limit < 0)
    throw new RangeError(`Invalid retry.limit "${retry.limit}": expected a whole number ≥ 0`);
  const userAgent = options.userAgent
    ? `${options.userAgent} ${TRANSPORT_USER_AGENT}`
    : TRANSPORT_USER_AGENT;
  const uploadBodies = options.uploadBodies ?? "auto";
  if (uploadBodies !== "auto" && uploadBodies !== "stream" && uploadBodies !== "buffer")
    throw new TypeError(
      `Invalid uploadBodies "${String(uploadBodies)}": expected "auto", "stream" or "buffer"`,
    );
  const secrets = [options.apiKey, options.password, options.accessToken].filter(
    (value): value is string => typeof value === "string" && value !== "",
  );
  return {
    baseUrl,
    accountUrl: `${baseUrl}/${username}`,
    username,
    ky: createKy({ fetch: options.fetch ?? globalThis.fetch.bind(globalThis), timeout, userAgent }),
    clock,
    random: options.random ?? Math.random,
    limiter:
      options.rateLimit === false
        ? createUnlimitedRateLimiter()
        : createRateLimiter(options.rateLimit ?? {}, clock),
    retry,
    timeout,
    authorization: authorizationHeader(options),
    secrets,
    onRequest: options.onRequest,
    streamBodies:
      uploadBodies === "stream" || (uploadBodies === "auto" && isNodeFetch(options.fetch)),
  };
}
