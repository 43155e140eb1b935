/**
 * The {@linkcode ActivitySubmitter} on `@ctct-bulk/transport`: one client per configured
 * account; the transport's errors classified for the dispatcher (retry or not, after how long,
 * whether the create may have happened).
 *
 * @module
 */
import {
  type CtctClient,
  CtctError,
  createClient,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ResponseLostError,
  type RetryOptions,
  ServerError,
  TimeoutError,
} from "@ctct-bulk/transport";
import type { AccountCredentials } from "./config.ts";
import { type ActivitySubmitter, SubmitError } from "./dispatcher.ts";
import type { BatchRecord } from "./store.ts";

/** Options of {@linkcode createTransportSubmitter}. */
export interface TransportSubmitterOptions {
  /** The accounts' credentials, by username. */
  accounts: ReadonlyMap<string, AccountCredentials>;
  /** The API root (default: the real API). */
  baseUrl?: string;
  /** The fetch to use (the fake server's, in tests). */
  fetch?: typeof globalThis.fetch;
  /** The request timeout, ms. */
  timeoutMs?: number;
  /** Requests a second per account (the transport's default unless given). */
  requestsPerSecond?: number;
  /**
   * The transport's own retries within one attempt (short ones; the dispatcher retries across
   * longer times, durably). Default: 2 retries, `Retry-After` up to 10 s.
   */
  retry?: RetryOptions;
}

const TYPES: Record<BatchRecord["action"], readonly string[]> = {
  add: ["ADD_CONTACTS", "ADD_CONTACT_DETAIL"],
  remove: ["REMOVE_CONTACTS_FROM_LISTS"],
  clear: ["CLEAR_CONTACTS_FROM_LISTS"],
};

/**
 * Classifies a transport error for the dispatcher.
 *
 * @param error What the transport threw.
 * @returns A {@linkcode SubmitError}: 429 waits for `Retry-After`; 5xx, network errors and
 *   timeouts are retried and may have created the activity; other errors are final.
 *
 * @example A 429
 * ```ts
 * import { RateLimitedError } from "@ctct-bulk/transport";
 * import { classifyTransportError } from "@ctct-bulk/webhook";
 * classifyTransportError(new RateLimitedError("Slow down", { status: 429, retryAfter: 2000 })).retryAfterMs; // 2000
 * ```
 */
export function classifyTransportError(error: unknown): SubmitError {
  const message = error instanceof Error ? error.message : String(error);
  if (RateLimitedError.isInstance(error)) {
    return new SubmitError(message, {
      retryable: true,
      kind: "429",
      cause: error,
      ...(error.retryAfter === undefined ? {} : { retryAfterMs: error.retryAfter }),
    });
  }
  if (ServerError.isInstance(error)) {
    return new SubmitError(message, { retryable: true, inDoubt: true, kind: "5xx", cause: error });
  }
  if (NetworkError.isInstance(error) || ResponseLostError.isInstance(error)) {
    return new SubmitError(message, {
      retryable: true,
      inDoubt: true,
      kind: "network",
      cause: error,
    });
  }
  if (TimeoutError.isInstance(error)) {
    return new SubmitError(message, {
      retryable: true,
      inDoubt: true,
      kind: "timeout",
      cause: error,
    });
  }
  if (CtctError.isInstance(error)) {
    return new SubmitError(message, {
      retryable: false,
      kind: String(error.status ?? error.name),
      cause: error,
    });
  }
  return new SubmitError(message, { retryable: true, inDoubt: true, kind: "other", cause: error });
}

/**
 * Creates the submitter that sends batches through the transport.
 *
 * @param options The accounts, and the API root and fetch (the fake server's in tests).
 * @returns The submitter.
 *
 * @example Against the fake server
 * ```ts
 * import { createFakeServer } from "@ctct-bulk/fake-server";
 * import { createTransportSubmitter } from "@ctct-bulk/webhook";
 * const server = createFakeServer();
 * const submitter = createTransportSubmitter({ accounts: config.accounts, baseUrl: server.baseUrl, fetch: server.fetch });
 * ```
 */
export function createTransportSubmitter(options: TransportSubmitterOptions): ActivitySubmitter {
  const clients = new Map<string, CtctClient>();
  const clientFor = (username: string): CtctClient => {
    let client = clients.get(username);
    if (!client) {
      const credentials = options.accounts.get(username);
      if (!credentials) {
        throw new SubmitError(`Unknown account "${username}": it is not configured`, {
          retryable: false,
          kind: "config",
        });
      }
      client = createClient({
        ...credentials,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        retry: options.retry ?? { limit: 2, maxRetryAfter: 10_000 },
        ...(options.requestsPerSecond
          ? { rateLimit: { requestsPerSecond: options.requestsPerSecond } }
          : {}),
        userAgent: "ctct-webhook",
      });
      clients.set(username, client);
    }
    return client;
  };

  return {
    async create(batch, signal) {
      const client = clientFor(batch.account);
      try {
        const created =
          batch.action === "clear"
            ? await client.activities.clearLists(batch.lists, { signal })
            : batch.action === "add"
              ? await client.activities.addContacts(batch.text, {
                  lists: batch.lists,
                  fileName: `${batch.id}.csv`,
                  signal,
                })
              : await client.activities.removeContacts(batch.text, {
                  lists: batch.lists,
                  fileName: `${batch.id}.csv`,
                  signal,
                });
        return { activityUri: created.uri };
      } catch (error) {
        throw classifyTransportError(error);
      }
    },

    async read(batch, signal) {
      try {
        const activity = await clientFor(batch.account).activities.get(batch.activityUri, {
          signal,
        });
        return {
          status: activity.status,
          errors: activity.errors.map((e) => ({
            ...(e.line === undefined ? {} : { line: e.line }),
            ...(e.email === undefined ? {} : { email: e.email }),
            message: e.message,
          })),
        };
      } catch (error) {
        if (NotFoundError.isInstance(error)) {
          throw new SubmitError(`Activity not found: "${batch.activityUri}"`, {
            retryable: false,
            kind: "404",
            cause: error,
          });
        }
        throw classifyTransportError(error);
      }
    },

    async findLost(batch, since, known, signal) {
      const candidates: string[] = [];
      try {
        for await (const activity of clientFor(batch.account).activities.list({ signal })) {
          const inserted = activity.insertTime ? Date.parse(activity.insertTime) : Number.NaN;
          // newest first: stop at the first one older than the attempt
          if (!Number.isNaN(inserted) && inserted < since) break;
          if (TYPES[batch.action].includes(activity.type) && !known.has(activity.uri)) {
            candidates.push(activity.uri);
          }
        }
      } catch (error) {
        throw classifyTransportError(error);
      }
      // several candidates cannot be told apart: sending again is safe for adds, removes and
      // clears (their effect is the same twice), so only a single one is adopted
      return candidates.length === 1 ? candidates[0] : undefined;
    },
  };
}
