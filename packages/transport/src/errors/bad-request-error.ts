import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/BadRequestError");

/** The fields of a {@linkcode BadRequestError}. */
export interface BadRequestErrorOptions extends CtctErrorOptions {
  /** The server's reason, as it wrote it (e.g. `Invalid list URI`). */
  reason?: string;
}

/**
 * The server refused the request's parameters (400). `reason` is the server's plain-text explanation.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { BadRequestError } from "@ctct-bulk/transport";
 * BadRequestError.isInstance(new BadRequestError("Bad request", { reason: "Missing lists", status: 400 })); // true
 * ```
 */
export class BadRequestError extends CtctError {
  override name = "BadRequestError" as const;
  /** The server's reason, as it wrote it (e.g. `Invalid list URI`). */
  readonly reason: string;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `reason`.
   */
  constructor(message: string, options: BadRequestErrorOptions = {}) {
    super(message, options);
    this.reason = options.reason ?? "";
    markError(this, marker);
  }

  /**
   * Whether `value` is a `BadRequestError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `BadRequestError`.
   */
  static override isInstance(value: unknown): value is BadRequestError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
