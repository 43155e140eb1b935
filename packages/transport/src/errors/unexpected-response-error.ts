import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/UnexpectedResponseError");

/**
 * The server answered with a status or a body the client does not understand (e.g. a 200 whose body is not the expected Atom document).
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { UnexpectedResponseError } from "@ctct-bulk/transport";
 * UnexpectedResponseError.isInstance(new UnexpectedResponseError("Unexpected", { status: 302 })); // true
 * ```
 */
export class UnexpectedResponseError extends CtctError {
  override name = "UnexpectedResponseError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `UnexpectedResponseError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `UnexpectedResponseError`.
   */
  static override isInstance(value: unknown): value is UnexpectedResponseError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
