import type { Clock } from "./clock.ts";

/** How fast the client may send requests. */
export interface RateLimitOptions {
  /** Requests started per second, on average (default 4). */
  requestsPerSecond?: number;
  /** Requests that may start at once after a quiet spell (default: `requestsPerSecond`). */
  burst?: number;
  /** Requests in flight at the same time (default 2). */
  concurrency?: number;
}

/** A slot taken from the limiter; `release()` gives the concurrency slot back. */
export interface RateLimitSlot {
  release(): void;
}

/** The client-side limiter every request passes through. */
export interface RateLimiter {
  /**
   * Waits for a request slot: a token of the rate and a concurrency slot.
   *
   * @param signal Stops waiting (rejects with the signal's reason).
   * @returns The slot; call `release()` when the response has arrived.
   */
  acquire(signal?: AbortSignal): Promise<RateLimitSlot>;
}

/**
 * The defaults: gentle enough for a shared account, fast enough for 1.9 MB chunks.
 *
 * @example Twice the default rate
 * ```ts
 * import { createClient, DEFAULT_RATE_LIMIT } from "@ctct-bulk/transport";
 * const client = createClient({
 *   username: "joesflowers",
 *   accessToken: "…",
 *   rateLimit: { ...DEFAULT_RATE_LIMIT, requestsPerSecond: DEFAULT_RATE_LIMIT.requestsPerSecond * 2 },
 * });
 * ```
 */
export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = {
  requestsPerSecond: 4,
  burst: 4,
  concurrency: 2,
};

/**
 * A token bucket (rate) plus a semaphore (concurrency), in arrival order. Hand-written (about 50
 * lines) because it must run on the injected {@linkcode Clock}, which lets tests and the waiting
 * engine run in virtual time; queue libraries use their own timers.
 *
 * @param options Requests per second, burst and concurrency.
 * @param clock The clock to wait on.
 * @returns A limiter.
 *
 * @example At most two requests at once, four a second
 * ```ts
 * import { createRateLimiter, systemClock } from "@ctct-bulk/transport";
 * const limiter = createRateLimiter({ requestsPerSecond: 4, concurrency: 2 }, systemClock);
 * const slot = await limiter.acquire();
 * try {
 *   // send one request
 * } finally {
 *   slot.release();
 * }
 * ```
 */
export function createRateLimiter(options: RateLimitOptions, clock: Clock): RateLimiter {
  const rate = options.requestsPerSecond ?? DEFAULT_RATE_LIMIT.requestsPerSecond;
  const burst = Math.max(1, options.burst ?? Math.ceil(rate));
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_RATE_LIMIT.concurrency);
  if (!(rate > 0))
    throw new RangeError(
      `Invalid rateLimit.requestsPerSecond "${rate}": expected a number above 0`,
    );
  let tokens = burst;
  let refilledAt = clock.now();
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  // Everyone queues here in arrival order, so that a big import cannot starve status polls.
  let turn: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = clock.now();
    tokens = Math.min(burst, tokens + ((now - refilledAt) * rate) / 1000);
    refilledAt = now;
  };
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };
  const takeConcurrency = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (inFlight < concurrency) {
        inFlight++;
        resolve();
        return;
      }
      const onAbort = () => {
        const index = waiting.indexOf(grant);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        inFlight++;
        resolve();
      };
      waiting.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      const previous = turn;
      let done!: () => void;
      turn = new Promise<void>((resolve) => {
        done = resolve;
      });
      try {
        await untilAborted(previous, signal);
        signal?.throwIfAborted();
        refill();
        while (tokens < 1) {
          await clock.sleep(Math.ceil(((1 - tokens) * 1000) / rate), signal);
          refill();
        }
        tokens -= 1;
        await takeConcurrency(signal);
      } finally {
        // Pass the turn on only when the one before is done too, so the line keeps its order
        // even when a waiter gives up.
        void previous.then(done);
      }
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          release();
        },
      };
    },
  };
}

/** `promise`, or the signal's reason as soon as it aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}

/**
 * A limiter that lets everything through at once (`rateLimit: false`).
 *
 * @returns A limiter that never waits.
 *
 * @example No waiting
 * ```ts
 * import { createUnlimitedRateLimiter } from "@ctct-bulk/transport";
 * const slot = await createUnlimitedRateLimiter().acquire();
 * slot.release();
 * ```
 */
export function createUnlimitedRateLimiter(): RateLimiter {
  return { acquire: async () => ({ release: () => {} }) };
}
