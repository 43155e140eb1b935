import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/ServerError");

/** The fields of a {@linkcode ServerError}. */
export interface ServerErrorOptions extends CtctErrorOptions {
  /** The wait the server asked for (`Retry-After` on a 503), in milliseconds. */
  retryAfter?: number;
}

/**
 * The server, or a proxy in front of it, failed (5xx). The body of a non-XML error page is kept as `bodyExcerpt`.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { ServerError } from "@ctct-bulk/transport";
 * ServerError.isInstance(new ServerError("Unavailable", { status: 503 })); // true
 * ```
 */
export class ServerError extends CtctError {
  override name = "ServerError" as const;
  /** The wait the server asked for (`Retry-After` on a 503), in milliseconds. */
  readonly retryAfter: number | undefined;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `retryAfter`.
   */
  constructor(message: string, options: ServerErrorOptions = {}) {
    super(message, options);
    this.retryAfter = options.retryAfter;
    markError(this, marker);
  }

  /**
   * Whether `value` is a `ServerError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `ServerError`.
   */
  static override isInstance(value: unknown): value is ServerError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
