/**
 * The dispatcher: for each account whose lease this instance holds, plans batches from the queue
 * (per-list order, sizes, waits), submits them through an {@linkcode ActivitySubmitter} with
 * retries and backoff (never before a `Retry-After`), follows each activity to COMPLETE or ERROR,
 * and gives up on what can never succeed (the dead-letter state). Every step is written to the
 * store before the next, so a restart (or another instance taking the lease over) resumes.
 *
 * @module
 */
import type { ActivityStatus } from "@ctct-bulk/core";
import type { WebhookLogger } from "./app.ts";
import { type BatchingOptions, eligiblePushes, planBatches } from "./batcher.ts";
import type { WebhookMetrics } from "./metrics.ts";
import type { BatchRecord, BatchUpdate, LineError, PushContacts, PushStore } from "./store.ts";

/** What the dispatcher needs from the API: create an activity, read it, find a lost create. */
export interface ActivitySubmitter {
  /**
   * Creates the batch's activity.
   * @throws {SubmitError} Saying whether to retry, after how long, and whether it may exist.
   */
  create(batch: BatchRecord, signal: AbortSignal): Promise<{ activityUri: string }>;
  /** Reads an activity's status and per-line errors. */
  read(
    batch: BatchRecord & { activityUri: string },
    signal: AbortSignal,
  ): Promise<{ status: ActivityStatus; errors: LineError[] }>;
  /**
   * Looks for the activity of a batch whose create may have reached the server although its
   * answer never came back (a crash or a lost response): one of the batch's type, created since
   * `since`, that is none of `known`.
   * @returns Its URI, or `undefined` when there is none (or no way to tell).
   */
  findLost(
    batch: BatchRecord,
    since: number,
    known: ReadonlySet<string>,
    signal: AbortSignal,
  ): Promise<string | undefined>;
}

/** Options of {@linkcode SubmitError}. */
export interface SubmitErrorOptions extends ErrorOptions {
  /** Whether trying again may succeed (429, 5xx, network). */
  retryable: boolean;
  /** Whether the create may have happened (the answer was lost or the server failed). */
  inDoubt?: boolean;
  /** The least time to wait before trying again (the server's `Retry-After`), in ms. */
  retryAfterMs?: number;
  /** A short label for metrics: `429`, `5xx`, `network`, `400`, … */
  kind: string;
}

/** A failed create or read, classified for the dispatcher. */
export class SubmitError extends Error {
  override readonly name = "SubmitError" as const;
  readonly retryable: boolean;
  readonly inDoubt: boolean;
  readonly retryAfterMs: number | undefined;
  readonly kind: string;

  /**
   * @param message What failed.
   * @param options Whether to retry, when, and whether the create may have happened.
   */
  constructor(message: string, options: SubmitErrorOptions) {
    super(message, options);
    this.retryable = options.retryable;
    this.inDoubt = options.inDoubt ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.kind = options.kind;
  }

  /**
   * Whether a value is a {@linkcode SubmitError}, even from another copy of this package.
   *
   * @param value Anything.
   * @returns `true` for a submit error.
   */
  static isInstance(value: unknown): value is SubmitError {
    return value instanceof Error && value.name === "SubmitError";
  }
}

/** Retry policy of the dispatcher. */
export interface RetryPolicy {
  /** Attempts before a batch is dead-lettered. */
  maxAttempts: number;
  /** The first backoff delay, ms. */
  initialDelayMs: number;
  /** The longest backoff delay, ms. */
  maxDelayMs: number;
}

/** Options of {@linkcode createDispatcher}. */
export interface DispatcherOptions {
  store: PushStore;
  submitter: ActivitySubmitter;
  /** This instance's lease owner name (unique per process). */
  owner: string;
  batching: BatchingOptions;
  retry: RetryPolicy;
  /** How often a submitted activity is read, ms. */
  pollIntervalMs: number;
  /** How long a lease lasts without renewal, ms. */
  leaseMs: number;
  /** How often the dispatcher looks at the queue, ms. */
  tickMs: number;
  /** How far back a lost create is looked for, before the attempt started (clock skew), ms. */
  lostCreateSkewMs?: number;
  /**
   * How many creates run at once per account (default 1: with more, two creates could be in
   * doubt at once, and a lost activity could not be told apart from the other's).
   */
  maxConcurrentCreates?: number;
  now?: () => number;
  random?: () => number;
  createBatchId?: () => string;
  logger?: WebhookLogger;
  metrics?: WebhookMetrics;
}

/** A running dispatcher; see {@linkcode createDispatcher}. */
export interface Dispatcher {
  /** Starts ticking every `tickMs`. */
  start(): void;
  /** One pass over the queue (tests call it directly), resolved when the pass is planned. */
  tick(): Promise<void>;
  /** Waits for every request in flight. */
  settle(): Promise<void>;
  /** Stops ticking, lets what is in flight finish (up to `graceMs`), hands the leases back. */
  stop(graceMs?: number): Promise<void>;
  /** How many operations (creates, reads, lookups) are in flight. */
  readonly inFlight: number;
}

const silentLogger: WebhookLogger = { info() {}, warn() {}, error() {}, debug() {} };

function randomBatchId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `bat_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * The backoff before attempt `attempt + 1`: exponential with jitter, capped.
 *
 * @param policy The retry policy.
 * @param attempt The attempts made so far (1 after the first).
 * @param random A number in [0, 1).
 * @returns The delay in ms.
 *
 * @example The third attempt's delay
 * ```ts
 * import { backoffDelay } from "@ctct-bulk/webhook";
 * backoffDelay({ maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 60_000 }, 2, 0.5); // 1500 … 2000
 * ```
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: number): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (base / 2) * random);
}

/**
 * Creates the dispatcher.
 *
 * @param options The store, the submitter, the lease owner, batching, retries and timings.
 * @returns The dispatcher (call `start()`, or `tick()` in tests).
 *
 * @example Dispatching through the transport
 * ```ts
 * import { createDispatcher, createTransportSubmitter } from "@ctct-bulk/webhook";
 * const dispatcher = createDispatcher({ store, submitter: createTransportSubmitter(config),
 *   owner: "instance-1", batching: config.batching, retry, pollIntervalMs: 5000,
 *   leaseMs: 30_000, tickMs: 500 });
 * dispatcher.start();
 * ```
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { store, submitter, owner } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const newBatchId = options.createBatchId ?? randomBatchId;
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics;
  const skew = options.lostCreateSkewMs ?? 60_000;
  const maxCreates = options.maxConcurrentCreates ?? 1;
  const running = new Map<string, Promise<void>>();
  const creating = new Map<string, number>();
  // accounts where a lost create is being looked for: nothing else is created meanwhile, so that
  // every other activity of ours is already recorded and cannot be mistaken for the lost one
  const recovering = new Set<string>();
  const nextPoll = new Map<string, number>();
  const contactsCache = new Map<string, PushContacts>();
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = false;

  const run = (batchId: string, work: () => Promise<void>, account?: string) => {
    if (account) creating.set(account, (creating.get(account) ?? 0) + 1);
    const promise = work()
      .catch((error: unknown) => {
        logger.error({ batch: batchId, err: describe(error) }, "dispatch step failed");
      })
      .finally(() => {
        running.delete(batchId);
        if (account) creating.set(account, (creating.get(account) ?? 1) - 1);
      });
    running.set(batchId, promise);
  };

  const update = async (change: BatchUpdate): Promise<boolean> => {
    const written = await store.updateBatch(owner, now(), change);
    if (!written) {
      logger.warn(
        { batch: change.batchId, state: change.state },
        "batch changed elsewhere (or lease lost): step skipped",
      );
    }
    return written;
  };

  const timed = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    const started = now();
    try {
      return await work();
    } catch (error) {
      metrics?.upstreamErrors.inc({
        operation,
        kind: SubmitError.isInstance(error) ? error.kind : "other",
      });
      throw error;
    } finally {
      metrics?.upstreamLatency.observe({ operation }, (now() - started) / 1000);
    }
  };

  const submit = async (batch: BatchRecord): Promise<void> => {
    const attempts = batch.attempts + 1;
    if (!(await update({ batchId: batch.id, state: "submitting", attempts }))) return;
    try {
      const { activityUri } = await timed("create", () => submitter.create(batch, abort.signal));
      if (await update({ batchId: batch.id, state: "submitted", activityUri })) {
        nextPoll.set(batch.id, now() + options.pollIntervalMs);
        logger.info(
          { batch: batch.id, activityUri, contacts: batch.contactCount, attempts },
          "activity created",
        );
      }
    } catch (error) {
      await failed(batch, attempts, error);
    }
  };

  const failed = async (batch: BatchRecord, attempts: number, error: unknown): Promise<void> => {
    const classified = SubmitError.isInstance(error)
      ? error
      : new SubmitError(describe(error).message, { retryable: true, inDoubt: true, kind: "other" });
    const message = classified.message;
    if (!classified.retryable || attempts >= options.retry.maxAttempts) {
      await update({ batchId: batch.id, state: "dead", lastError: message, errors: [] });
      metrics?.activities.inc({ status: "dead" });
      logger.error(
        { batch: batch.id, attempts, kind: classified.kind, error: message },
        "batch dead-lettered",
      );
      return;
    }
    const delay = Math.max(
      backoffDelay(options.retry, attempts, random()),
      classified.retryAfterMs ?? 0,
    );
    await update({
      batchId: batch.id,
      state: "retry",
      nextAttemptAt: now() + delay,
      lastError: message,
      inDoubt: classified.inDoubt,
    });
    logger.warn(
      {
        batch: batch.id,
        attempts,
        kind: classified.kind,
        retryInMs: delay,
        inDoubt: classified.inDoubt,
      },
      "create failed: will retry",
    );
  };

  const recover = async (batch: BatchRecord): Promise<void> => {
    const since = (batch.submittedAt ?? batch.createdAt) - skew;
    const known = new Set(await store.listActivityUris(batch.account, since));
    let found: string | undefined;
    try {
      found = await timed("find-lost", () => submitter.findLost(batch, since, known, abort.signal));
    } catch (error) {
      await failed(batch, batch.attempts, error);
      return;
    }
    if (found) {
      if (await update({ batchId: batch.id, state: "submitted", activityUri: found })) {
        nextPoll.set(batch.id, now());
        logger.info({ batch: batch.id, activityUri: found }, "lost create found: adopted");
      }
      return;
    }
    await submit(batch);
  };

  const poll = async (batch: BatchRecord & { activityUri: string }): Promise<void> => {
    let result: { status: ActivityStatus; errors: LineError[] };
    try {
      result = await timed("read", () => submitter.read(batch, abort.signal));
    } catch (error) {
      if (SubmitError.isInstance(error) && !error.retryable) {
        await update({ batchId: batch.id, state: "error", lastError: error.message, errors: [] });
        metrics?.activities.inc({ status: "ERROR" });
        return;
      }
      const wait = SubmitError.isInstance(error) ? (error.retryAfterMs ?? 0) : 0;
      nextPoll.set(batch.id, now() + Math.max(options.pollIntervalMs, wait));
      return;
    }
    if (result.status !== "COMPLETE" && result.status !== "ERROR") {
      nextPoll.set(batch.id, now() + options.pollIntervalMs);
      return;
    }
    const state = result.status === "COMPLETE" ? "complete" : "error";
    if (await update({ batchId: batch.id, state, errors: result.errors })) {
      nextPoll.delete(batch.id);
      metrics?.activities.inc({ status: result.status });
      logger.info(
        {
          batch: batch.id,
          activityUri: batch.activityUri,
          status: result.status,
          lineErrors: result.errors.length,
        },
        "activity finished",
      );
    }
  };

  const processAccount = async (account: string): Promise<void> => {
    let active = await store.listActiveBatches(account);
    const pushes = await store.listQueuedPushes(account);
    const eligible = eligiblePushes(pushes, active);
    for (const push of pushes) {
      if (
        push.pending &&
        eligible.has(push.id) &&
        push.contactCount > 0 &&
        !contactsCache.has(push.id)
      ) {
        contactsCache.set(push.id, await store.readPushContacts(push.id));
      }
    }
    const planned = planBatches(
      {
        account,
        pushes,
        active,
        contactsOf: (id) => contactsCache.get(id) ?? { columns: [], rows: [], sources: [] },
        now: now(),
        createBatchId: newBatchId,
      },
      options.batching,
    );
    for (const batch of planned) {
      if (!(await store.createBatch(owner, now(), batch))) return;
      metrics?.batches.inc({ action: batch.action });
      logger.info(
        {
          batch: batch.id,
          account,
          action: batch.action,
          contacts: batch.contactCount,
          pushes: batch.parts.length,
        },
        "batch created",
      );
    }
    for (const push of pushes) {
      if (!push.pending || push.assignedCount >= push.contactCount) contactsCache.delete(push.id);
    }
    for (const batch of planned) {
      for (const part of batch.parts) {
        const push = pushes.find((p) => p.id === part.pushId);
        if (push && part.firstIndex + part.count >= push.contactCount)
          contactsCache.delete(part.pushId);
      }
    }
    if (planned.length > 0) active = await store.listActiveBatches(account);
    const time = now();
    for (const batch of active) {
      if (running.has(batch.id) || stopped) continue;
      if (
        batch.state === "submitted" &&
        batch.activityUri &&
        (nextPoll.get(batch.id) ?? 0) <= time
      ) {
        const uri = batch.activityUri;
        run(batch.id, () => poll({ ...batch, activityUri: uri }));
      }
    }
    if (stopped || recovering.has(account)) return;
    // A create in doubt (it may or may not have made an activity) is settled before any other
    // create of the account starts: then every other activity of ours is recorded, and the only
    // unknown one since its attempt can be its own.
    const inDoubt = active.find((b) => b.state === "submitting" && !running.has(b.id));
    if (inDoubt) {
      if (inDoubt.nextAttemptAt <= time && (creating.get(account) ?? 0) === 0) {
        recovering.add(account);
        run(inDoubt.id, () => recover(inDoubt).finally(() => recovering.delete(account)), account);
      }
      return;
    }
    for (const batch of active) {
      if (batch.state !== "ready" || running.has(batch.id) || batch.nextAttemptAt > time) continue;
      if ((creating.get(account) ?? 0) >= maxCreates) break;
      run(batch.id, () => submit(batch), account);
    }
  };

  const tick = async (): Promise<void> => {
    if (stopped) return;
    ticking ??= (async () => {
      try {
        const accounts = await store.claimAccounts(owner, now(), options.leaseMs);
        for (const account of accounts) await processAccount(account);
      } catch (error) {
        logger.error({ err: describe(error) }, "dispatch pass failed");
      } finally {
        ticking = undefined;
      }
    })();
    return ticking;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      await tick();
      schedule();
    }, options.tickMs);
  };

  return {
    start() {
      schedule();
    },
    tick,
    async settle() {
      while (running.size > 0 || ticking) {
        await Promise.all([...running.values(), ticking]);
      }
    },
    async stop(graceMs = 10_000) {
      stopped = true;
      if (timer) clearTimeout(timer);
      const all = Promise.all([ticking, ...running.values()]);
      let timeout: ReturnType<typeof setTimeout> | undefined;
      const expired = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(true), graceMs);
        }),
      ]);
      clearTimeout(timeout);
      if (expired) {
        // what is still in flight stays "submitting" in the store: whoever takes the lease next
        // looks for it before sending it again
        abort.abort();
        await all;
      }
      await store.releaseAccounts(owner).catch(() => {});
    },
    get inFlight() {
      return running.size;
    },
  };
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: "Error", message: String(error) };
}
