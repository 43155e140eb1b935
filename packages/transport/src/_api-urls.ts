// Where a URI the API (or a caller) names is fetched: see ADR 0042.
import type { HttpContext } from "./_context.ts";
import { redactUrl } from "./_redact.ts";
import { InvalidRequestError } from "./errors/invalid-request-error.ts";

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
