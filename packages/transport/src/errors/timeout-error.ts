import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/TimeoutError");

/** The fields of a {@linkcode TimeoutError}. */
export interface TimeoutErrorOptions extends CtctErrorOptions {
  /** The timeout that ran out, in milliseconds. */
  timeout?: number;
}

/**
 * No response came within the client's `timeout`.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { TimeoutError } from "@ctct-bulk/transport";
 * TimeoutError.isInstance(new TimeoutError("Timed out", { timeout: 30_000 })); // true
 * ```
 */
export class TimeoutError extends CtctError {
  override name = "TimeoutError" as const;
  /** The timeout that ran out, in milliseconds. */
  readonly timeout: number | undefined;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `timeout`.
   */
  constructor(message: string, options: TimeoutErrorOptions = {}) {
    super(message, options);
    this.timeout = options.timeout;
    markError(this, marker);
  }

  /**
   * Whether `value` is a `TimeoutError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `TimeoutError`.
   */
  static override isInstance(value: unknown): value is TimeoutError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
