// Creating an activity (POST /activities) safely: a create is repeated only where a repeat
// cannot change the result, and a create whose answer was lost is looked for before it is sent
// again. The reasoning is in docs/guides/errors-and-retries.md.
import {
  type Activity,
  type ActivityType,
  parseActivityFeed,
  parseMinimalEntry,
} from "@ctct-bulk/core";
import { backoffDelay } from "./_backoff.ts";
import type { HttpContext, HttpRequest } from "./_context.ts";
import { readText, report, retryDelay, sendOnce, sendWithRetry } from "./_http.ts";
import { errorFromResponse, unexpectedBody } from "./_response-errors.ts";
import type { CtctError } from "./ctct-error.ts";
import { NetworkError } from "./errors/network-error.ts";
import { RateLimitedError } from "./errors/rate-limited-error.ts";
import { ResponseLostError } from "./errors/response-lost-error.ts";
import { ServerError } from "./errors/server-error.ts";
import { TimeoutError } from "./errors/timeout-error.ts";

/** The answer to a create: the new activity's URI and id, and how it was obtained. */
export interface CreatedActivity {
  /** The activity's URI (its identifier). */
  uri: string;
  /** The activity's id, e.g. `a07e1ffaxjyffmvqgiz`. */
  id: string;
  /** The activity's path, to poll. */
  editLink: string;
  /** When the server created it (ISO 8601). */
  updated: string;
  /** How many POSTs were sent (1 unless the first was refused with 429/5xx or lost). */
  attempts: number;
  /**
   * `true` when the answer was lost and the activity was found in the activities list instead
   * (it was created once, not twice).
   */
  recovered: boolean;
}

/** What kind of create this is: it decides what may be repeated. */
export type CreateKind = "add" | "remove" | "clear" | "export";

/** The activity types a create of each kind may show up as in the activities list. */
const REPORTED_TYPES: Record<CreateKind, readonly ActivityType[]> = {
  add: ["ADD_CONTACTS", "ADD_CONTACT_DETAIL"],
  remove: ["REMOVE_CONTACTS_FROM_LISTS"],
  clear: ["CLEAR_CONTACTS_FROM_LISTS"],
  export: ["EXPORT_CONTACTS"],
};

/**
 * How far before the attempt's start (on the client's clock) an activity's `InsertTime` may be
 * and still count as the lost one: the allowance for the two clocks disagreeing.
 */
export const LOST_RESPONSE_CLOCK_SKEW = 60_000;

/** The state a client keeps across creates: the activities it knows it made. */
export interface CreateState {
  /** Ids this client created or adopted: never taken for another lost create. */
  known: Set<string>;
}

/**
 * The runtime's error codes that prove a request never left: no connection was made (refused,
 * unreachable, a DNS failure, undici's connect timeout), so the server cannot have acted on it.
 * A reset, a dropped response or a response timeout is not one: the request may have arrived.
 */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Whether a runtime error (or, for an `AggregateError`, each of its errors) says no connection was made. */
function notSentCause(cause: Error): boolean {
  const code = (cause as { code?: unknown }).code;
  if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true;
  const errors = (cause as { errors?: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every((inner) => inner instanceof Error && notSentCause(inner))
  );
}

/** Whether a network error says the connection was never made (so nothing can have been created). */
export function neverConnected(error: CtctError): boolean {
  if (!NetworkError.isInstance(error)) return false;
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
    if (notSentCause(cause)) return true;
  }
  return false;
}

/**
 * Whether the request may have reached the server and been acted on: the answer was lost
 * (network error, timeout) or the server failed (5xx) after perhaps creating the activity.
 */
function outcomeUnknown(error: CtctError): boolean {
  return (
    NetworkError.isInstance(error) ||
    TimeoutError.isInstance(error) ||
    ServerError.isInstance(error)
  );
}

/**
 * POSTs a create, retrying what is safe:
 *
 * - 429: the server refused it, nothing was created: sent again after `Retry-After`.
 * - no connection at all (refused, DNS failure, unreachable: {@linkcode neverConnected}): the
 *   request never left, so nothing was created: sent again as a fresh create, without a look. If
 *   no attempt ever connected, the final {@linkcode NetworkError} has `notSent: true`.
 * - a lost answer (network error, timeout, 5xx): the activities list is read for an activity of
 *   the same type inserted since the attempt started that this client does not know. One
 *   found: it is adopted (`recovered: true`). None: the create is sent again. Several: an add,
 *   remove or export is sent again (a repeat cannot change the lists, or costs a second file);
 *   a clear throws {@linkcode ResponseLostError} naming the candidates.
 * - anything else (400, 401, 413, …): thrown at once.
 *
 * Attempts are sequential: the same create is never in flight twice.
 */
export async function createActivity(
  http: HttpContext,
  state: CreateState,
  kind: CreateKind,
  body: { payload: string | Uint8Array | readonly Uint8Array[]; contentType: string },
  signal: AbortSignal | undefined,
): Promise<CreatedActivity> {
  // Every attempt (a retry, a send after a lost-create look) sends `body.payload` again: the
  // caller keeps its bytes unchanged until this settles, and sendOnce() builds a fresh body.
  const request: HttpRequest = {
    method: "POST",
    url: `${http.accountUrl}/activities`,
    body: body.payload,
    contentType: body.contentType,
    accept: "application/atom+xml",
    signal,
  };
  /** Whether any attempt so far may have reached the server (not refused before connecting). */
  let mayHaveArrived = false;
  for (let attempt = 1; ; attempt++) {
    const startedAt = http.clock.now();
    const result = await sendOnce(http, request);
    let error: CtctError;
    if ("response" in result) {
      const { response } = result;
      if (response.ok) {
        report(http, request, attempt, startedAt, { status: response.status });
        const xml = await readText(http, request, response);
        let entry: ReturnType<typeof parseMinimalEntry>;
        try {
          entry = parseMinimalEntry(xml);
        } catch (parseError) {
          throw unexpectedBody(request, response.status, parseError);
        }
        state.known.add(entry.id);
        return { ...entry, attempts: attempt, recovered: false };
      }
      error = await errorFromResponse(http, request, response);
    } else {
      error = result.error;
    }
    const retriesLeft = attempt <= http.retry.limit;
    if (RateLimitedError.isInstance(error) && retriesLeft) {
      const delay = retryDelay(http, attempt, error);
      report(http, request, attempt, startedAt, {
        status: 429,
        error,
        ...(delay === undefined ? {} : { retryIn: delay }),
      });
      if (delay === undefined) throw error;
      await http.clock.sleep(delay, signal);
      continue;
    }
    const notSent = neverConnected(error);
    // A 429 is a refusal too: the server created nothing.
    if (!notSent && !RateLimitedError.isInstance(error)) mayHaveArrived = true;
    report(http, request, attempt, startedAt, {
      ...(error.status === undefined ? {} : { status: error.status }),
      error,
    });
    if (!outcomeUnknown(error) || !retriesLeft) {
      if (notSent && !mayHaveArrived) throw nothingCreated(error, attempt);
      throw error;
    }
    // The server may have created the activity: look before sending it again. Not when this
    // attempt never connected: a request that never left created nothing, so it is sent again
    // as a fresh create (under the same retry policy) without a look.
    const candidates = notSent ? [] : await findLostActivity(http, state, kind, startedAt, signal);
    if (candidates.length === 1) {
      const [found] = candidates;
      state.known.add(found!.id);
      return {
        uri: found!.uri,
        id: found!.id,
        editLink: found!.editLink ?? new URL(found!.uri).pathname,
        updated: found!.updated ?? found!.insertTime ?? "",
        attempts: attempt,
        recovered: true,
      };
    }
    if (candidates.length > 1 && kind === "clear") {
      throw new ResponseLostError(
        `The answer to a clear was lost and ${candidates.length} clears were created since: not sending it again (clearing twice could remove contacts added in between): ${candidates.map((c) => `"${c.id}"`).join(", ")}`,
        { method: "POST", url: request.url, candidates: candidates.map((c) => c.id), cause: error },
      );
    }
    const serverAsked = ServerError.isInstance(error) ? error.retryAfter : undefined;
    const wait = Math.max(backoffDelay(attempt, http.retry, http.random), serverAsked ?? 0);
    await http.clock.sleep(wait, signal);
  }
}

/**
 * The activities of `kind`'s types inserted since `startedAt` (less the clock-skew allowance)
 * that this client does not know: the newest page or two of the activities list.
 */
async function findLostActivity(
  http: HttpContext,
  state: CreateState,
  kind: CreateKind,
  startedAt: number,
  signal: AbortSignal | undefined,
): Promise<Activity[]> {
  const since = startedAt - LOST_RESPONSE_CLOCK_SKEW;
  const types = REPORTED_TYPES[kind];
  const found: Activity[] = [];
  const request: HttpRequest = {
    method: "GET",
    url: `${http.accountUrl}/activities`,
    accept: "application/atom+xml",
    signal,
  };
  const response = await sendWithRetry(http, request);
  const xml = await readText(http, request, response);
  let entries: Activity[];
  try {
    entries = parseActivityFeed(xml).entries;
  } catch (error) {
    throw unexpectedBody(request, response.status, error);
  }
  // The feed is newest first, and one page holds 50: a create lost a moment ago is on it.
  for (const entry of entries) {
    const inserted = Date.parse(entry.insertTime ?? entry.updated ?? "");
    if (Number.isNaN(inserted) || inserted < since) continue;
    if (!types.includes(entry.type) || state.known.has(entry.id)) continue;
    found.push(entry);
  }
  return found;
}

/**
 * The error of a create none of whose attempts could connect: it says, in its message and in
 * `notSent`, that nothing was created (so a caller need not look for the activity).
 */
function nothingCreated(error: CtctError, attempts: number): NetworkError {
  const tried =
    attempts === 1 ? "the request never reached" : `none of its ${attempts} attempts reached`;
  return new NetworkError(`${error.message}; ${tried} the server, so nothing was created`, {
    ...(error.method === undefined ? {} : { method: error.method }),
    ...(error.url === undefined ? {} : { url: error.url }),
    cause: error.cause,
    notSent: true,
  });
}
