import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/MethodNotAllowedError");

/** The fields of a {@linkcode MethodNotAllowedError}. */
export interface MethodNotAllowedErrorOptions extends CtctErrorOptions {
  /** The server's `Allow` header, e.g. `"GET"`. */
  allow?: string;
}

/**
 * The method is not allowed on the resource (405), e.g. a PUT or DELETE of an activity.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { MethodNotAllowedError } from "@ctct-bulk/transport";
 * MethodNotAllowedError.isInstance(new MethodNotAllowedError("Not allowed", { status: 405, allow: "GET" })); // true
 * ```
 */
export class MethodNotAllowedError extends CtctError {
  override name = "MethodNotAllowedError" as const;
  /** The server's `Allow` header, e.g. `"GET"`. */
  readonly allow: string | undefined;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `allow`.
   */
  constructor(message: string, options: MethodNotAllowedErrorOptions = {}) {
    super(message, options);
    this.allow = options.allow;
    markError(this, marker);
  }

  /**
   * Whether `value` is a `MethodNotAllowedError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `MethodNotAllowedError`.
   */
  static override isInstance(value: unknown): value is MethodNotAllowedError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
