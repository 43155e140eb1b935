import type { Activity } from "@ctct-bulk/core";
import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/ActivityFailedError");

/** The fields of a {@linkcode ActivityFailedError}. */
export interface ActivityFailedErrorOptions extends CtctErrorOptions {
  /** The activity as last read. */
  activity?: Activity;
}

/**
 * An activity ended in status `ERROR` and the caller asked `wait()` to throw.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { ActivityFailedError } from "@ctct-bulk/transport";
 * ActivityFailedError.isInstance(new ActivityFailedError("Failed", {})); // true
 * ```
 */
export class ActivityFailedError extends CtctError {
  override name = "ActivityFailedError" as const;
  /** The activity as last read. */
  readonly activity: Activity | undefined;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `activity`.
   */
  constructor(message: string, options: ActivityFailedErrorOptions = {}) {
    super(message, options);
    this.activity = options.activity;
    markError(this, marker);
  }

  /**
   * Whether `value` is a `ActivityFailedError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `ActivityFailedError`.
   */
  static override isInstance(value: unknown): value is ActivityFailedError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
