import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/PayloadTooLargeError");

/**
 * The request carried too much data (413): over 1.9 MB of encoded contact data. Use `importContacts()`, which splits the data.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { PayloadTooLargeError } from "@ctct-bulk/transport";
 * PayloadTooLargeError.isInstance(new PayloadTooLargeError("Too large", { status: 413 })); // true
 * ```
 */
export class PayloadTooLargeError extends CtctError {
  override name = "PayloadTooLargeError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `PayloadTooLargeError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `PayloadTooLargeError`.
   */
  static override isInstance(value: unknown): value is PayloadTooLargeError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
