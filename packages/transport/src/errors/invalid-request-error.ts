import type { Diagnostic } from "@ctct-bulk/core";
import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/InvalidRequestError");

/** The fields of a {@linkcode InvalidRequestError}. */
export interface InvalidRequestErrorOptions extends CtctErrorOptions {
  /** What is wrong, with the parameter, field or line. */
  diagnostics?: readonly Diagnostic[];
}

/**
 * The request was refused by the client before anything was sent: a system list to clear, a header with no `EMAIL ADDRESS`, an unknown export column. `diagnostics` says what and where.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { InvalidRequestError } from "@ctct-bulk/transport";
 * InvalidRequestError.isInstance(new InvalidRequestError("Invalid", { diagnostics: [] })); // true
 * ```
 */
export class InvalidRequestError extends CtctError {
  override name = "InvalidRequestError" as const;
  /** What is wrong, with the parameter, field or line. */
  readonly diagnostics: readonly Diagnostic[];

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `diagnostics`.
   */
  constructor(message: string, options: InvalidRequestErrorOptions = {}) {
    super(message, options);
    this.diagnostics = options.diagnostics ?? [];
    markError(this, marker);
  }

  /**
   * Whether `value` is a `InvalidRequestError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `InvalidRequestError`.
   */
  static override isInstance(value: unknown): value is InvalidRequestError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
