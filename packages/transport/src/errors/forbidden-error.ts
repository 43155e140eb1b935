import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/ForbiddenError");

/**
 * The credentials are valid but not for this account (403): the username does not match the login.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { ForbiddenError } from "@ctct-bulk/transport";
 * ForbiddenError.isInstance(new ForbiddenError("Forbidden", { status: 403 })); // true
 * ```
 */
export class ForbiddenError extends CtctError {
  override name = "ForbiddenError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `ForbiddenError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `ForbiddenError`.
   */
  static override isInstance(value: unknown): value is ForbiddenError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
