// Delays between attempts: exponential backoff with jitter, capped, never sooner than the server
// asked (`Retry-After`).

/** How delays grow between attempts. */
export interface BackoffOptions {
  /** The first delay, in milliseconds. */
  initialDelay: number;
  /** The factor each delay is multiplied by. */
  factor: number;
  /** The largest delay, in milliseconds. */
  maxDelay: number;
  /** The share of a delay that is random, from 0 (none) to 1 ("full jitter"). */
  jitter: number;
}

/**
 * The delay before attempt `attempt + 1`, after `attempt` attempts failed: `initialDelay ×
 * factor^(attempt − 1)`, capped at `maxDelay`, of which a `jitter` share is random.
 *
 * @param attempt How many attempts have failed (1 for the first retry).
 * @param options The backoff's shape.
 * @param random A source of numbers in [0, 1).
 * @returns The delay in milliseconds.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number,
): number {
  const exponential = options.initialDelay * options.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxDelay, exponential);
  const jitter = Math.min(1, Math.max(0, options.jitter));
  return Math.round(capped * (1 - jitter) + capped * jitter * random());
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: either delay-seconds or an HTTP date.
 *
 * @param header The header's value, or `null` when absent.
 * @param now The current time in milliseconds since the epoch (for the HTTP-date form).
 * @returns The wait, never negative; `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now: number,
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
