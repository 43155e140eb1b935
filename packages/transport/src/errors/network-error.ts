import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/NetworkError");

/** The fields of a {@linkcode NetworkError}. */
export interface NetworkErrorOptions extends CtctErrorOptions {
  /**
   * `true` when the request provably never reached the server: no attempt could connect
   * (`ECONNREFUSED`, `ENOTFOUND`, `EAI_AGAIN`, unreachable host or network), so a create made
   * nothing.
   */
  notSent?: boolean;
}

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
   * `true` when the request provably never reached the server (no attempt could connect), so a
   * create made nothing and can be sent again as new; `false` when it may have arrived.
   */
  readonly notSent: boolean;

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `notSent`.
   */
  constructor(message: string, options: NetworkErrorOptions = {}) {
    super(message, options);
    this.notSent = options.notSent ?? false;
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
