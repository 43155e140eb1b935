import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/NotFoundError");

/**
 * The activity or list does not exist, or has expired (activities are kept for 14 days) (404).
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { NotFoundError } from "@ctct-bulk/transport";
 * NotFoundError.isInstance(new NotFoundError("Not found", { status: 404 })); // true
 * ```
 */
export class NotFoundError extends CtctError {
  override name = "NotFoundError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `NotFoundError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `NotFoundError`.
   */
  static override isInstance(value: unknown): value is NotFoundError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
