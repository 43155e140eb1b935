/**
 * `@ctct-bulk/webhook`: partner pushes in, bulk activities out. A Hono service that verifies
 * Standard Webhooks signatures over the raw bytes, stores each push durably (SQLite with group
 * commit, or PostgreSQL for several instances) before it answers `202`, batches contacts per
 * account, action and lists, and submits them through `@ctct-bulk/transport` in per-list order,
 * with retries, lost-create recovery and a dead-letter state.
 *
 * - The app (Request → Response): {@linkcode createWebhookApp}.
 * - The whole service (Node): {@linkcode startWebhookService}, {@linkcode runWebhookService} (the
 *   `ctct-webhook --config` command).
 * - Pieces: signatures, configuration, stores, batching, the dispatcher and its submitter.
 *
 * @module
 */
export {
  createPushId,
  createWebhookApp,
  type WebhookAppOptions,
  type WebhookLogger,
} from "./app.ts";
export {
  type BatchingOptions,
  batchKey,
  eligiblePushes,
  type PlanInput,
  planBatches,
} from "./batcher.ts";
export { type BodyResult, readBodyWithin } from "./body.ts";
export {
  type AccountCredentials,
  ConfigError,
  type ConfigIssue,
  type ParseConfigOptions,
  type PartnerConfig,
  parseWebhookConfig,
  type WebhookConfig,
} from "./config.ts";
export { CONFIG_ENV, loadWebhookConfig } from "./config-file.ts";
export {
  type ActivitySubmitter,
  backoffDelay,
  createDispatcher,
  type Dispatcher,
  type DispatcherOptions,
  type RetryPolicy,
  SubmitError,
  type SubmitErrorOptions,
} from "./dispatcher.ts";
export { createWebhookMetrics, type WebhookMetrics } from "./metrics.ts";
export { readIncomingWithin, readNodeBody } from "./node-body.ts";
export { createNodeSigningKey, nodeSha256Hex } from "./node-crypto.ts";
export {
  type ParsedPush,
  type PayloadIssue,
  type PayloadResult,
  parseCsvPush,
  parseJsonPush,
} from "./payload.ts";
export {
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from "./postgres-store.ts";
export { createTokenBucket, type RateDecision, type TokenBucket } from "./rate-limit.ts";
export { type ListenOptions, listenWebhookServer, type WebhookServer } from "./server.ts";
export {
  createWebhookLogger,
  openConfiguredStore,
  REDACTED_PATHS,
  type RunningWebhookService,
  runWebhookService,
  type StartServiceOptions,
  startWebhookService,
} from "./service.ts";
export {
  decodeSigningSecret,
  importSigningSecret,
  readSignatureHeaders,
  SECRET_PREFIX,
  SIGNATURE_TOLERANCE_SECONDS,
  type SignatureFailure,
  type SignatureHeaders,
  type SignatureVerification,
  type SigningKey,
  signWebhook,
  type VerifyOptions,
  verifyWebhookSignature,
} from "./signature.ts";
export {
  type CommitTimes,
  openSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
} from "./sqlite-store.ts";
export {
  type AcceptOutcome,
  type BatchPart,
  type BatchRecord,
  type BatchState,
  type BatchUpdate,
  derivePushStatus,
  FINAL_BATCH_STATES,
  type LineError,
  mapLineErrors,
  type NewBatch,
  type NewPush,
  type PushAction,
  type PushContacts,
  type PushStatus,
  type PushStore,
  type QueuedPush,
  type StoreStats,
  StoreUnavailableError,
} from "./store.ts";
export {
  classifyTransportError,
  createTransportSubmitter,
  type TransportSubmitterOptions,
} from "./transport-submitter.ts";
