// The HTTP layer: one ky instance (fetch injected, per-attempt timeout, no retries of its own),
// credentials, the rate limiter, typed errors and the retry loop for requests that are safe to
// repeat. Creates have their own loop (activities.ts) because repeating one needs a look first.
import { API_BASE_URL } from "@ctct-bulk/core";
import ky, { isNetworkError, isTimeoutError, type KyInstance } from "ky";
import { backoffDelay, parseRetryAfter } from "./_backoff.ts";
import { redactSecrets, redactUrl } from "./_redact.ts";
import { type Clock, systemClock } from "./clock.ts";
import type { CtctError } from "./ctct-error.ts";
import { BadRequestError } from "./errors/bad-request-error.ts";
import { ConflictError } from "./errors/conflict-error.ts";
import { ForbiddenError } from "./errors/forbidden-error.ts";
import { InvalidRequestError } from "./errors/invalid-request-error.ts";
import { MethodNotAllowedError } from "./errors/method-not-allowed-error.ts";
import { NetworkError } from "./errors/network-error.ts";
import { NotFoundError } from "./errors/not-found-error.ts";
import { PayloadTooLargeError } from "./errors/payload-too-large-error.ts";
import { RateLimitedError } from "./errors/rate-limited-error.ts";
import { ServerError } from "./errors/server-error.ts";
import { TimeoutError } from "./errors/timeout-error.ts";
import { UnauthorizedError } from "./errors/unauthorized-error.ts";
import { UnexpectedResponseError } from "./errors/unexpected-response-error.ts";
import { UnsupportedMediaTypeError } from "./errors/unsupported-media-type-error.ts";
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
}

/** One request as the client sends it. */
export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  body?: string | Uint8Array;
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
 * Sends one attempt through the limiter. Returns the response (any status) or the error that
 * stopped it (network, timeout); rethrows the caller's abort as it is.
 */
export async function sendOnce(
  context: HttpContext,
  request: HttpRequest,
): Promise<{ response: Response } | { error: CtctError }> {
  request.signal?.throwIfAborted();
  const slot = await context.limiter.acquire(request.signal);
  const headers: Record<string, string> = { authorization: context.authorization };
  if (request.contentType) headers["content-type"] = request.contentType;
  if (request.accept) headers.accept = request.accept;
  try {
    const response = await context.ky(request.url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: request.body as BodyInit }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return { response };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    return { error: transportError(context, request, error) };
  } finally {
    slot.release();
  }
}

/** Turns what fetch or ky threw into a typed error, never keeping ky's `Request` (it holds the credentials). */
function transportError(context: HttpContext, request: HttpRequest, error: unknown): CtctError {
  const where = `${request.method} "${redactUrl(request.url)}"`;
  if (isTimeoutError(error)) {
    return new TimeoutError(`No response within ${context.timeout} ms from ${where}`, {
      method: request.method,
      url: request.url,
      timeout: context.timeout === false ? undefined : context.timeout,
    });
  }
  const underlying = isNetworkError(error) ? error.cause : error;
  const detail = underlying instanceof Error ? underlying.message : String(underlying);
  return new NetworkError(`Network error on ${where}: ${redactSecrets(detail, context.secrets)}`, {
    method: request.method,
    url: request.url,
    cause: safeCause(underlying, context.secrets),
  });
}

/** A copy of an error that keeps its name, message and code, and nothing that may hold a request. */
function safeCause(error: unknown, secrets: readonly string[]): Error {
  if (!(error instanceof Error)) return new Error(redactSecrets(String(error), secrets));
  const copy = new Error(redactSecrets(error.message, secrets));
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  if (error.cause !== undefined) Object.assign(copy, { cause: safeCause(error.cause, secrets) });
  return copy;
}

const STATUS_LABELS: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized (check the API key, password or access token)",
  403: "Forbidden (the credentials are not for this account)",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  429: "Rate limited",
};

/**
 * The start of a body for a message: plain text as it is, an HTML page reduced to its text, an
 * XML document left out (it is not a reason a person can read).
 */
export function bodyExcerpt(body: string, secrets: readonly string[]): string | undefined {
  const trimmed = body.trim();
  if (trimmed === "") return undefined;
  if (/^<\?xml|^<(?:feed|entry|service)\b/i.test(trimmed)) return undefined;
  let text = trimmed;
  if (/^<(?:!doctype|html|head|body)\b/i.test(trimmed)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(trimmed)?.[1];
    const bodyText = trimmed
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
      .replace(/<[^>]+>/g, " ");
    text = title && !bodyText.includes(title) ? `${title} ${bodyText}` : bodyText;
  }
  text = redactSecrets(text.replace(/\s+/g, " ").trim(), secrets);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Reads a failed response into its typed error. */
export async function errorFromResponse(
  context: HttpContext,
  request: HttpRequest,
  response: Response,
): Promise<CtctError> {
  let body = "";
  try {
    body = (await response.text()).slice(0, 16_384);
  } catch {
    // the body broke off: the status alone says enough
  }
  const excerpt = bodyExcerpt(body, context.secrets);
  const status = response.status;
  const where = `${request.method} "${redactUrl(request.url)}"`;
  const label = STATUS_LABELS[status] ?? (status >= 500 ? "Server error" : "Unexpected response");
  const message = `${label} (${status}) from ${where}${excerpt ? `: ${excerpt}` : ""}`;
  const fields = {
    method: request.method,
    url: request.url,
    status,
    ...(excerpt === undefined ? {} : { bodyExcerpt: excerpt }),
  };
  switch (status) {
    case 400:
      return new BadRequestError(message, { ...fields, reason: excerpt ?? "" });
    case 401:
      return new UnauthorizedError(message, fields);
    case 403:
      return new ForbiddenError(message, fields);
    case 404:
      return new NotFoundError(message, fields);
    case 405:
      return new MethodNotAllowedError(message, {
        ...fields,
        ...(response.headers.has("allow") ? { allow: response.headers.get("allow")! } : {}),
      });
    case 409:
      return new ConflictError(message, fields);
    case 413:
      return new PayloadTooLargeError(message, fields);
    case 415:
      return new UnsupportedMediaTypeError(message, fields);
    case 429: {
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"), context.clock.now());
      return new RateLimitedError(message, {
        ...fields,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      });
    }
    default:
      if (status >= 500) {
        const retryAfter = parseRetryAfter(
          response.headers.get("retry-after"),
          context.clock.now(),
        );
        return new ServerError(message, {
          ...fields,
          ...(retryAfter === undefined ? {} : { retryAfter }),
        });
      }
      return new UnexpectedResponseError(message, fields);
  }
}

/** Whether an error is worth another attempt of a request that is safe to repeat. */
export function isRetryable(error: CtctError): boolean {
  return (
    RateLimitedError.isInstance(error) ||
    NetworkError.isInstance(error) ||
    TimeoutError.isInstance(error) ||
    (ServerError.isInstance(error) && error.status !== 501)
  );
}

/**
 * The delay before the next attempt, never shorter than the server's `Retry-After`; `undefined`
 * when the server asks for longer than `maxRetryAfter` (the caller then gives up).
 */
export function retryDelay(
  context: HttpContext,
  attempt: number,
  error: CtctError,
): number | undefined {
  const backoff = backoffDelay(attempt, context.retry, context.random);
  const retryAfter =
    RateLimitedError.isInstance(error) || ServerError.isInstance(error)
      ? error.retryAfter
      : undefined;
  if (retryAfter === undefined) return backoff;
  if (retryAfter > context.retry.maxRetryAfter) return undefined;
  return Math.max(backoff, retryAfter);
}

/**
 * Sends a request that is safe to repeat (a GET), retrying on 429, 5xx, network errors and
 * timeouts with backoff that honours `Retry-After`. Resolves with a 2xx response; throws a
 * {@linkcode CtctError} otherwise, or the signal's reason on abort.
 */
export async function sendWithRetry(context: HttpContext, request: HttpRequest): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const started = context.clock.now();
    const result = await sendOnce(context, request);
    let error: CtctError;
    if ("response" in result) {
      if (result.response.ok) {
        report(context, request, attempt, started, { status: result.response.status });
        return result.response;
      }
      error = await errorFromResponse(context, request, result.response);
    } else {
      error = result.error;
    }
    const delay =
      attempt <= context.retry.limit && isRetryable(error)
        ? retryDelay(context, attempt, error)
        : undefined;
    report(context, request, attempt, started, {
      ...(error.status === undefined ? {} : { status: error.status }),
      error,
      ...(delay === undefined ? {} : { retryIn: delay }),
    });
    if (delay === undefined) throw error;
    await context.clock.sleep(delay, request.signal);
  }
}

/** Tells the `onRequest` listener about an attempt; a listener that throws is ignored. */
export function report(
  context: HttpContext,
  request: HttpRequest,
  attempt: number,
  started: number,
  outcome: { status?: number; error?: CtctError; retryIn?: number },
): void {
  if (!context.onRequest) return;
  try {
    context.onRequest({
      method: request.method,
      url: redactUrl(request.url),
      attempt,
      durationMs: context.clock.now() - started,
      ...outcome,
    });
  } catch {
    // a logger's failure must not fail the request
  }
}

/** The path every account's URIs share, in the identifier form and on the real host. */
const API_ROOT_PATH = "/ws/customers";
const API_HOSTS = new Set(["api.constantcontact.com"]);

/**
 * Where to send a request for a URI the API handed out: identifiers (`http://api.constantcontact.com/ws/customers/…`)
 * and absolute paths (`/ws/customers/…`) are rebased onto the configured base URL; other relative
 * references are resolved against `relativeTo`. A URL on any other host is refused, so that
 * credentials never travel to a host the caller did not configure.
 *
 * @param context The client's context.
 * @param reference The URI, path or relative reference.
 * @param relativeTo The URL of the request the reference came from (default: the account URL).
 * @returns An absolute URL under the configured base URL.
 */
export function resolveApiUrl(
  context: HttpContext,
  reference: string,
  relativeTo?: string,
): string {
  const base = new URL(relativeTo ?? `${context.accountUrl}/`);
  const target = new URL(reference, base);
  const configured = new URL(context.baseUrl);
  const rest = target.pathname.startsWith(`${API_ROOT_PATH}/`)
    ? target.pathname.slice(API_ROOT_PATH.length)
    : undefined;
  const sameOrigin = target.origin === configured.origin;
  if (sameOrigin && target.href.startsWith(`${context.baseUrl}/`)) return target.href;
  if (rest !== undefined && (sameOrigin || API_HOSTS.has(target.hostname))) {
    return `${context.baseUrl}${rest}${target.search}`;
  }
  if (sameOrigin) return target.href;
  throw new InvalidRequestError(
    `Refusing to send credentials to "${redactUrl(target.href)}": it is not under the base URL "${context.baseUrl}"`,
    { url: target.href, diagnostics: [] },
  );
}

/** Reads a successful response's text, turning a body that breaks off into a {@linkcode NetworkError}. */
export async function readText(
  context: HttpContext,
  request: HttpRequest,
  response: Response,
): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    return Promise.reject(transportError(context, request, error));
  }
}

/** Wraps a parse failure of a 2xx body as an {@linkcode UnexpectedResponseError}. */
export function unexpectedBody(request: HttpRequest, status: number, error: unknown): CtctError {
  const detail = error instanceof Error ? error.message : String(error);
  return new UnexpectedResponseError(
    `Unexpected body in the ${status} answer to ${request.method} "${redactUrl(request.url)}": ${detail}`,
    { method: request.method, url: request.url, status, cause: error },
  );
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
  if (parsedBase.username || parsedBase.password)
    throw new TypeError(
      `Invalid baseUrl "${redactUrl(baseUrl)}": credentials go in apiKey/password or accessToken, not in the URL`,
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
  };
}
