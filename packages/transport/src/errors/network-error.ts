import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/NetworkError");

/**
 * The request failed before any response came: DNS, refused or dropped connection, offline. `cause` is the runtime's error.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { NetworkError } from "@ctct-bulk/transport";
 * NetworkError.isInstance(new NetworkError("Connection refused", { method: "GET" })); // true
 * ```
 */
export class NetworkError extends CtctError {
  override name = "NetworkError" as const;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options);
    markError(this, marker);
  }

  /**
   * Whether `value` is a `NetworkError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `NetworkError`.
   */
  static override isInstance(value: unknown): value is NetworkError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
