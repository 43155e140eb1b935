import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/ConflictError");

/**
 * The server reported a conflict with the current state of the resource (409).
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { ConflictError } from "@ctct-bulk/transport";
 * ConflictError.isInstance(new ConflictError("Conflict", { status: 409 })); // true
 * ```
 */
export class ConflictError extends CtctError {
  override name = "ConflictError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `ConflictError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `ConflictError`.
   */
  static override isInstance(value: unknown): value is ConflictError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
