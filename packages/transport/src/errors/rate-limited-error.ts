import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/RateLimitedError");

/** The fields of a {@linkcode RateLimitedError}. */
export interface RateLimitedErrorOptions extends CtctErrorOptions {
  /** The wait the server asked for (`Retry-After`), in milliseconds. */
  retryAfter?: number;
}

/**
 * Too many requests (429). `retryAfter` is how long the server asked to wait, in milliseconds.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { RateLimitedError } from "@ctct-bulk/transport";
 * RateLimitedError.isInstance(new RateLimitedError("Slow down", { status: 429, retryAfter: 2000 })); // true
 * ```
 */
export class RateLimitedError extends CtctError {
  override name = "RateLimitedError" as const;
  /** The wait the server asked for (`Retry-After`), in milliseconds. */
  readonly retryAfter: number | undefined;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `retryAfter`.
   */
  constructor(message: string, options: RateLimitedErrorOptions = {}) {
    super(message, options);
    this.retryAfter = options.retryAfter;
    markError(this, marker);
  }

  /**
   * Whether `value` is a `RateLimitedError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `RateLimitedError`.
   */
  static override isInstance(value: unknown): value is RateLimitedError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
