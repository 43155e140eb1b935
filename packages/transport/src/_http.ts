// Sending: one attempt through the limiter and ky, and the retry loop for requests that are safe
// to repeat. Creates have their own loop (_create.ts) because repeating one needs a look first.
import { backoffDelay } from "./_backoff.ts";
import type { HttpContext, HttpRequest } from "./_context.ts";
import { redactUrl } from "./_redact.ts";
import { errorFromResponse, transportError } from "./_response-errors.ts";
import type { CtctError } from "./ctct-error.ts";
import { NetworkError } from "./errors/network-error.ts";
import { RateLimitedError } from "./errors/rate-limited-error.ts";
import { ServerError } from "./errors/server-error.ts";
import { TimeoutError } from "./errors/timeout-error.ts";

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
  // A fresh body per attempt: a stream is read once, and a retry sends the same bytes again.
  const body = requestBody(context, request.body, headers);
  try {
    const response = await context.ky(request.url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
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

/**
 * What one attempt hands to `fetch`: text as it is; bytes as they are (`"buffer"`), or as a new
 * stream of views of them with their `Content-Length` (`"stream"`: `fetch` copies a byte body, not
 * a stream; ADR 0100). Pieces are joined only for a `"buffer"` client.
 */
function requestBody(
  context: HttpContext,
  body: HttpRequest["body"],
  headers: Record<string, string>,
): BodyInit | undefined {
  if (body === undefined || typeof body === "string") return body;
  const parts: readonly Uint8Array[] = body instanceof Uint8Array ? [body] : body;
  let size = 0;
  for (const part of parts) size += part.byteLength;
  if (!context.streamBodies) {
    if (parts.length === 1) return parts[0] as BodyInit;
    const joined = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.byteLength;
    }
    return joined;
  }
  // undici sends a stream body with this length as it is (and fails the request if the stream
  // gave other than `size` bytes); without it, it would use chunked encoding.
  headers["content-length"] = String(size);
  // Each piece whole, as a view (no copy): Node writes it to the socket in one call and the
  // system sends it while JavaScript reads the next chunk. Pieces of 64 KB, each waiting for the
  // event loop between reads of rows, made the upload 10-15% slower (ADR 0100).
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (next < parts.length) controller.enqueue(parts[next++]!);
        else controller.close();
      },
    },
    // Nothing is read ahead of the socket: a piece is handed over when fetch asks for it.
    { highWaterMark: 0 },
  );
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
