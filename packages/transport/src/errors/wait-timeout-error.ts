import type { Activity } from "@ctct-bulk/core";
import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/WaitTimeoutError");

/** The fields of a {@linkcode WaitTimeoutError}. */
export interface WaitTimeoutErrorOptions extends CtctErrorOptions {
  /** Which limit ran out. */
  reason?: "deadline" | "no-progress";
  /** The activity as last read. */
  activity?: Activity;
}

/**
 * `wait()` gave up: the overall `deadline` passed, or the activity stayed in one status longer than `noProgressTimeout`.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { WaitTimeoutError } from "@ctct-bulk/transport";
 * WaitTimeoutError.isInstance(new WaitTimeoutError("Gave up", { reason: "deadline" })); // true
 * ```
 */
export class WaitTimeoutError extends CtctError {
  override name = "WaitTimeoutError" as const;
  /** Which limit ran out. */
  readonly reason: "deadline" | "no-progress" | undefined;
  /** The activity as last read. */
  readonly activity: Activity | undefined;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `reason`, `activity`.
   */
  constructor(message: string, options: WaitTimeoutErrorOptions = {}) {
    super(message, options);
    this.reason = options.reason;
    this.activity = options.activity;
    markError(this, marker);
  }

  /**
   * Whether `value` is a `WaitTimeoutError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `WaitTimeoutError`.
   */
  static override isInstance(value: unknown): value is WaitTimeoutError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
