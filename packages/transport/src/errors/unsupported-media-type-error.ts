import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/UnsupportedMediaTypeError");

/**
 * The request's content type was neither form encoding (415).
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { UnsupportedMediaTypeError } from "@ctct-bulk/transport";
 * UnsupportedMediaTypeError.isInstance(new UnsupportedMediaTypeError("Unsupported", { status: 415 })); // true
 * ```
 */
export class UnsupportedMediaTypeError extends CtctError {
  override name = "UnsupportedMediaTypeError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `UnsupportedMediaTypeError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `UnsupportedMediaTypeError`.
   */
  static override isInstance(value: unknown): value is UnsupportedMediaTypeError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
