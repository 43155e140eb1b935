/**
 * A token bucket per partner: `requestsPerSecond` tokens a second, up to `burst` saved. In
 * memory, per instance (several instances each allow the configured rate).
 *
 * @module
 */

/** The outcome of {@linkcode TokenBucket.take}. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A token bucket; see {@linkcode createTokenBucket}. */
export interface TokenBucket {
  /** Takes one token if there is one; otherwise says how long until there will be. */
  take(now: number): RateDecision;
}

/**
 * Creates a token bucket, full.
 *
 * @param requestsPerSecond How many tokens are added a second.
 * @param burst How many tokens it holds at most.
 * @returns The bucket.
 *
 * @example Two requests a second, bursts of two
 * ```ts
 * import { createTokenBucket } from "@ctct-bulk/webhook";
 * const bucket = createTokenBucket(2, 2);
 * bucket.take(0).ok; // true
 * bucket.take(0).ok; // true
 * bucket.take(0); // { ok: false, retryAfterSeconds: 1 }
 * bucket.take(500).ok; // true
 * ```
 */
export function createTokenBucket(requestsPerSecond: number, burst: number): TokenBucket {
  let tokens = burst;
  let updated: number | undefined;
  return {
    take(now: number): RateDecision {
      if (updated !== undefined && now > updated) {
        tokens = Math.min(burst, tokens + ((now - updated) / 1000) * requestsPerSecond);
      }
      updated = updated === undefined ? now : Math.max(updated, now);
      if (tokens >= 1) {
        tokens -= 1;
        return { ok: true };
      }
      const seconds = (1 - tokens) / requestsPerSecond;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
    },
  };
}
