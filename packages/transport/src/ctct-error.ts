const marker: unique symbol = Symbol.for("@ctct-bulk/transport/CtctError");

/**
 * The base of every error the transport throws. `CtctError.isInstance(e)` works even when two
 * copies of the package are loaded.
 *
 * @example Recognising an error of the transport
 * ```ts
 * import { CtctError } from "@ctct-bulk/transport";
 * CtctError.isInstance(new CtctError("Boom")); // true
 * CtctError.isInstance(new Error("Boom")); // false
 * ```
 */
export class CtctError extends Error {
  override name = "CtctError";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    Object.defineProperty(this, marker, { value: true });
  }

  /** Whether `value` is a `CtctError`, across copies of the package. */
  static isInstance(value: unknown): value is CtctError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
