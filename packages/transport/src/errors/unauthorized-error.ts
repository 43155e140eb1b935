import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/UnauthorizedError");

/**
 * The credentials were refused (401): a wrong API key, password or access token.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { UnauthorizedError } from "@ctct-bulk/transport";
 * UnauthorizedError.isInstance(new UnauthorizedError("Unauthorized", { status: 401 })); // true
 * ```
 */
export class UnauthorizedError extends CtctError {
  override name = "UnauthorizedError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `UnauthorizedError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `UnauthorizedError`.
   */
  static override isInstance(value: unknown): value is UnauthorizedError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
