import type { Activity, ActivityStatus } from "@ctct-bulk/core";
import { backoffDelay } from "./_backoff.ts";
import type { Clock } from "./clock.ts";
import { ActivityFailedError } from "./errors/activity-failed-error.ts";
import { WaitTimeoutError } from "./errors/wait-timeout-error.ts";

/**
 * How an activity finished: `"complete"` (every line taken), `"complete-with-errors"` (the job
 * ran, some lines were rejected: see `activity.errors`), or `"error"` (the job failed).
 */
export type ActivityOutcome = "complete" | "complete-with-errors" | "error";

/** A finished activity and how it finished. */
export interface WaitResult {
  /** The activity as last read (status `COMPLETE` or `ERROR`). */
  activity: Activity;
  /** How it finished. */
  outcome: ActivityOutcome;
}

/** A change of status seen while waiting. */
export interface StatusChange {
  /** The activity's id. */
  id: string;
  /** The status before, or `undefined` on the first reading. */
  previous: ActivityStatus | undefined;
  /** The status now. */
  status: ActivityStatus;
  /** The activity as read. */
  activity: Activity;
  /** When the activity is finished: how. */
  outcome?: ActivityOutcome;
}

/** How often to ask for an activity's status. */
export interface PollOptions {
  /** The first delay between readings, in milliseconds (default 1,000). */
  initialInterval?: number;
  /** The longest delay between readings, in milliseconds (default 30,000). */
  maxInterval?: number;
  /** The factor the delay grows by while the status stays the same (default 1.5). */
  factor?: number;
  /** The random share of each delay, 0 to 1 (default 0.2). */
  jitter?: number;
}

/**
 * The polling defaults: 1 s, growing ×1.5 while the status stays the same, up to 30 s, ±20 %.
 *
 * @example Polling faster for a small job
 * ```ts
 * import { DEFAULT_POLL } from "@ctct-bulk/transport";
 * const poll = { ...DEFAULT_POLL, maxInterval: 5_000 };
 * poll.initialInterval; // 1000
 * ```
 */
export const DEFAULT_POLL: Required<PollOptions> = {
  initialInterval: 1_000,
  maxInterval: 30_000,
  factor: 1.5,
  jitter: 0.2,
};

/** Options of `client.activities.wait()` and `watch()`. */
export interface WaitOptions {
  /** Give up at this time (a `Date` or ms since the epoch, on the client's clock). */
  deadline?: Date | number;
  /** Give up this many milliseconds from now (the earlier of this and `deadline` applies). */
  timeout?: number;
  /**
   * Give up when an activity stays in one status (e.g. `QUEUED`) for this many milliseconds
   * (default: no limit).
   */
  noProgressTimeout?: number;
  /** Stops waiting; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called on every status change, the first reading included. */
  onStatus?: (change: StatusChange) => void;
  /** Throw an {@linkcode ActivityFailedError} when an activity ends in `ERROR` (default `false`). */
  throwOnError?: boolean;
  /** How often to poll. */
  poll?: PollOptions;
}

/**
 * How an activity finished, or `undefined` while it runs.
 *
 * @param activity An activity as read.
 * @returns `"complete"`, `"complete-with-errors"`, `"error"` or `undefined`.
 *
 * @example A complete job with rejected lines is a finished state of its own
 * ```ts
 * import { activityOutcome } from "@ctct-bulk/transport";
 * activityOutcome({ status: "COMPLETE", errors: [], errorCount: 2 }); // "complete-with-errors"
 * activityOutcome({ status: "RUNNING", errors: [], errorCount: 0 }); // undefined
 * ```
 */
export function activityOutcome(
  activity: Pick<Activity, "status" | "errors" | "errorCount">,
): ActivityOutcome | undefined {
  if (activity.status === "ERROR") return "error";
  if (activity.status !== "COMPLETE") return undefined;
  return activity.errors.length > 0 || activity.errorCount > 0
    ? "complete-with-errors"
    : "complete";
}

interface Watched {
  id: string;
  index: number;
  status: ActivityStatus | undefined;
  changedAt: number;
  pollCount: number;
  nextPollAt: number;
  activity?: Activity;
  result?: WaitResult;
}

/**
 * The polling engine behind `wait()` and `watch()`: reads each activity until it is finished,
 * backing off (with jitter, capped) while its status stays the same and starting over at the
 * first interval when it changes. Yields every status change; returns the results in the order
 * of `ids`.
 *
 * @param ids The activities' ids.
 * @param read Reads one activity (a GET that already retries transient failures).
 * @param options Deadline, no-progress timeout, signal, polling.
 * @param clock The clock to wait on.
 * @param random A source of numbers in [0, 1) for the jitter.
 * @param settle What the results keep of a finished activity (after its change is yielded):
 *   the import keeps a copy without its per-line errors, which it has mapped by then, so that
 *   they are not held twice until the last activity finishes. By default, the activity.
 * @returns An async generator of status changes whose return value is the results.
 */
export async function* pollActivities(
  ids: readonly string[],
  read: (id: string, signal?: AbortSignal) => Promise<Activity>,
  options: WaitOptions,
  clock: Clock,
  random: () => number,
  settle?: (activity: Activity, index: number, outcome: ActivityOutcome) => Activity,
): AsyncGenerator<StatusChange, WaitResult[], undefined> {
  const poll = { ...DEFAULT_POLL, ...options.poll };
  const backoff = {
    initialDelay: poll.initialInterval,
    maxDelay: poll.maxInterval,
    factor: poll.factor,
    jitter: poll.jitter,
  };
  const start = clock.now();
  const deadline = Math.min(
    options.deadline === undefined ? Number.POSITIVE_INFINITY : Number(options.deadline),
    options.timeout === undefined ? Number.POSITIVE_INFINITY : start + options.timeout,
  );
  const watched: Watched[] = ids.map((id, index) => ({
    id,
    index,
    status: undefined,
    changedAt: start,
    pollCount: 0,
    nextPollAt: start,
  }));
  const pending = new Set(watched);
  while (pending.size > 0) {
    options.signal?.throwIfAborted();
    let next: Watched | undefined;
    for (const item of pending) if (!next || item.nextPollAt < next.nextPollAt) next = item;
    const item = next!;
    const now = clock.now();
    if (item.nextPollAt > now) {
      const wake = Math.min(item.nextPollAt, deadline);
      if (wake > now) await clock.sleep(wake - now, options.signal);
    }
    if (clock.now() >= deadline) {
      throw new WaitTimeoutError(
        `Gave up waiting for activity "${item.id}" at the deadline: still ${item.status ?? "unread"} after ${clock.now() - start} ms`,
        { reason: "deadline", ...(item.activity ? { activity: item.activity } : {}) },
      );
    }
    const activity = await read(item.id, options.signal);
    item.pollCount++;
    const readAt = clock.now();
    const outcome = activityOutcome(activity);
    if (activity.status !== item.status) {
      const change: StatusChange = {
        id: item.id,
        previous: item.status,
        status: activity.status,
        activity,
        ...(outcome ? { outcome } : {}),
      };
      item.status = activity.status;
      item.changedAt = readAt;
      item.pollCount = 0;
      yield change;
    }
    if (outcome) {
      pending.delete(item);
      if (outcome === "error" && options.throwOnError) {
        throw new ActivityFailedError(`Activity "${item.id}" ended in status ERROR`, { activity });
      }
      item.result = {
        activity: settle ? settle(activity, item.index, outcome) : activity,
        outcome,
      };
      continue;
    }
    item.activity = activity;
    if (
      options.noProgressTimeout !== undefined &&
      readAt - item.changedAt >= options.noProgressTimeout
    ) {
      throw new WaitTimeoutError(
        `Gave up waiting for activity "${item.id}": no progress from status ${activity.status} in ${readAt - item.changedAt} ms`,
        { reason: "no-progress", activity },
      );
    }
    item.nextPollAt = readAt + backoffDelay(item.pollCount + 1, backoff, random);
  }
  return watched.map((item) => item.result!);
}

/**
 * Drives {@linkcode pollActivities} to the end, handing each change to `onStatus`.
 *
 * @param ids The activities' ids.
 * @param read Reads one activity.
 * @param options Deadline, no-progress timeout, signal, polling, `onStatus`, `throwOnError`.
 * @param clock The clock to wait on.
 * @param random A source of numbers in [0, 1).
 * @param settle What the results keep of a finished activity (see {@linkcode pollActivities}).
 * @returns The results in the order of `ids`.
 */
export async function waitForActivities(
  ids: readonly string[],
  read: (id: string, signal?: AbortSignal) => Promise<Activity>,
  options: WaitOptions,
  clock: Clock,
  random: () => number,
  settle?: (activity: Activity, index: number, outcome: ActivityOutcome) => Activity,
): Promise<WaitResult[]> {
  const generator = pollActivities(ids, read, options, clock, random, settle);
  for (;;) {
    const step = await generator.next();
    if (step.done) return step.value;
    options.onStatus?.(step.value);
  }
}
