import { redactUrl } from "./_redact.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/CtctError");

/** What every {@linkcode CtctError} may say about the request that failed. */
export interface CtctErrorOptions extends ErrorOptions {
  /** The HTTP method of the request, e.g. `"POST"`. */
  method?: string;
  /** The request's URL; user info and secret-looking query parameters are stripped. */
  url?: string;
  /** The response's HTTP status, when there was a response. */
  status?: number;
  /** The start of a response body that was not an Atom document (at most 200 characters). */
  bodyExcerpt?: string;
}

/**
 * The base of every error the transport throws. `CtctError.isInstance(e)` works even when two
 * copies of the package are loaded. Credentials never appear in its message, its fields, its
 * `toJSON()` or its `cause`.
 *
 * @example Recognising an error of the transport
 * ```ts
 * import { CtctError } from "@ctct-bulk/transport";
 * CtctError.isInstance(new CtctError("Boom")); // true
 * CtctError.isInstance(new Error("Boom")); // false
 * ```
 */
export class CtctError extends Error {
  override name: string = "CtctError";
  /** The HTTP method of the request that failed, when one was sent. */
  readonly method?: string;
  /** The URL of the request that failed, with credentials stripped. */
  readonly url?: string;
  /** The HTTP status of the response, when there was one. */
  readonly status?: number;
  /** A short excerpt of a non-XML response body (an HTML page from a proxy, a plain-text reason). */
  readonly bodyExcerpt?: string;

  /**
   * @param message What went wrong, in a sentence (capital first, no trailing period).
   * @param options The request's method, URL and status, the body excerpt and the `cause`.
   */
  constructor(message: string, options: CtctErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.method !== undefined) this.method = options.method;
    if (options.url !== undefined) this.url = redactUrl(options.url);
    if (options.status !== undefined) this.status = options.status;
    if (options.bodyExcerpt !== undefined) this.bodyExcerpt = options.bodyExcerpt;
    Object.defineProperty(this, marker, { value: true });
  }

  /**
   * Whether `value` is a `CtctError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is an error of the transport.
   */
  static isInstance(value: unknown): value is CtctError {
    return typeof value === "object" && value !== null && marker in value;
  }

  /**
   * A plain object for logs: name, message and the request's fields (never credentials).
   *
   * @returns The error's public fields.
   */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== "cause") json[key] = value;
    }
    if (this.cause instanceof Error) json.cause = `${this.cause.name}: ${this.cause.message}`;
    return json;
  }
}

/**
 * Defines the `isInstance()` guard of a subclass: by its own symbol, so it survives two copies of
 * the package.
 *
 * @param target The subclass's prototype.
 * @param symbol The subclass's `Symbol.for()` marker.
 */
export function markError(target: object, symbol: symbol): void {
  Object.defineProperty(target, symbol, { value: true });
}
