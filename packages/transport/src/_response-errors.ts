// Typed errors from what went wrong: a response's status and body, or what fetch threw.
import { isNetworkError, isTimeoutError } from "ky";
import { parseRetryAfter } from "./_backoff.ts";
import type { HttpContext, HttpRequest } from "./_context.ts";
import { redactSecrets, redactUrl } from "./_redact.ts";
import type { CtctError } from "./ctct-error.ts";
import { BadRequestError } from "./errors/bad-request-error.ts";
import { ConflictError } from "./errors/conflict-error.ts";
import { ForbiddenError } from "./errors/forbidden-error.ts";
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

/** Turns what fetch or ky threw into a typed error, never keeping ky's `Request` (it holds the credentials). */
export function transportError(
  context: HttpContext,
  request: HttpRequest,
  error: unknown,
): CtctError {
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

/** Wraps a parse failure of a 2xx body as an {@linkcode UnexpectedResponseError}. */
export function unexpectedBody(request: HttpRequest, status: number, error: unknown): CtctError {
  const detail = error instanceof Error ? error.message : String(error);
  return new UnexpectedResponseError(
    `Unexpected body in the ${status} answer to ${request.method} "${redactUrl(request.url)}": ${detail}`,
    { method: request.method, url: request.url, status, cause: error },
  );
}
