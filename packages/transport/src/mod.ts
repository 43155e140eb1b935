/**
 * `@ctct-bulk/transport`: the fetch-based client for Constant Contact's Bulk Activities API.
 *
 * - {@linkcode createClient} with API-key credentials or an access token, an injectable `fetch`,
 *   timeouts, a user agent, a client-side rate limit and safe retries.
 * - `client.activities`: list, get, add, remove, clear, export, big imports
 *   (`importContacts()`), waiting (`wait()`, `watch()`), export downloads.
 * - `client.lists`: list, get, find by name, resolve "id, URI or name".
 * - A typed error tree under {@linkcode CtctError}, every class with an `isInstance()` guard that
 *   works across copies of the package, and no credentials anywhere.
 *
 * Web-standard only: runs on Node, Deno, Bun and in browsers.
 *
 * @module
 */

// The data the client's methods take and return are core's types: named here too, so that a
// program that installs only this package can name them (core is a dependency, not a peer).
export type {
  Activity,
  ActivityEntry,
  ActivityLineError,
  ActivityStatus,
  ActivityType,
  AtomSource,
  ContactList,
  ContactListEntry,
  Diagnostic,
} from "@ctct-bulk/core";
export type {
  ClientCredentials,
  ClientSettings,
  FetchFunction,
  HttpContext,
} from "./_context.ts";
export {
  DEFAULT_RETRY,
  type RequestEvent,
  type RetryOptions,
  type UploadBodies,
} from "./_context.ts";
export type { CreatedActivity, CreateKind } from "./_create.ts";
export {
  Activities,
  type ActivityRef,
  type ContactActivityOptions,
  type ExportOptions,
  MAX_ENCODED_DATA_BYTES,
} from "./activities.ts";
export { type CreateClientOptions, CtctClient, createClient } from "./client.ts";
export { type Clock, createVirtualClock, systemClock } from "./clock.ts";
export { type ContactInput, type ContactRowsInput, isExcelFile } from "./contact-input.ts";
export { CtctError, type CtctErrorOptions } from "./ctct-error.ts";
export {
  ActivityFailedError,
  type ActivityFailedErrorOptions,
} from "./errors/activity-failed-error.ts";
export {
  AmbiguousListNameError,
  type AmbiguousListNameErrorOptions,
} from "./errors/ambiguous-list-name-error.ts";
export { BadRequestError, type BadRequestErrorOptions } from "./errors/bad-request-error.ts";
export { ConflictError } from "./errors/conflict-error.ts";
export { ForbiddenError } from "./errors/forbidden-error.ts";
export {
  InvalidRequestError,
  type InvalidRequestErrorOptions,
} from "./errors/invalid-request-error.ts";
export { ListNotFoundError, type ListNotFoundErrorOptions } from "./errors/list-not-found-error.ts";
export {
  MethodNotAllowedError,
  type MethodNotAllowedErrorOptions,
} from "./errors/method-not-allowed-error.ts";
export { NetworkError, type NetworkErrorOptions } from "./errors/network-error.ts";
export { NotFoundError } from "./errors/not-found-error.ts";
export { PayloadTooLargeError } from "./errors/payload-too-large-error.ts";
export { RateLimitedError, type RateLimitedErrorOptions } from "./errors/rate-limited-error.ts";
export { ResponseLostError, type ResponseLostErrorOptions } from "./errors/response-lost-error.ts";
export { ServerError, type ServerErrorOptions } from "./errors/server-error.ts";
export { TimeoutError, type TimeoutErrorOptions } from "./errors/timeout-error.ts";
export { UnauthorizedError } from "./errors/unauthorized-error.ts";
export { UnexpectedResponseError } from "./errors/unexpected-response-error.ts";
export { UnsupportedMediaTypeError } from "./errors/unsupported-media-type-error.ts";
export { WaitTimeoutError, type WaitTimeoutErrorOptions } from "./errors/wait-timeout-error.ts";
export type {
  AcceptedChunk,
  ChunkSummary,
  ImportedChunk,
  ImportLineError,
  ImportOptions,
  ImportProgressEvent,
  ImportResult,
  ImportTotals,
} from "./import-contacts.ts";
export { compressLineMap, type LineRun, mapChunkLine } from "./line-map.ts";
export { ContactLists, type SignalOptions } from "./lists.ts";
export {
  createRateLimiter,
  createUnlimitedRateLimiter,
  DEFAULT_RATE_LIMIT,
  type RateLimiter,
  type RateLimitOptions,
  type RateLimitSlot,
} from "./rate-limiter.ts";
export {
  type ActivityOutcome,
  activityOutcome,
  DEFAULT_POLL,
  type PollOptions,
  type StatusChange,
  type WaitOptions,
  type WaitResult,
} from "./wait.ts";
