import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/ResponseLostError");

/** The fields of a {@linkcode ResponseLostError}. */
export interface ResponseLostErrorOptions extends CtctErrorOptions {
  /** The ids of activities that may be the one created. */
  candidates?: readonly string[];
}

/**
 * A create's response was lost (network error, timeout or 5xx) and the activities list did not say for sure whether the activity was created; the create was not repeated because a repeat could change the result.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { ResponseLostError } from "@ctct-bulk/transport";
 * ResponseLostError.isInstance(new ResponseLostError("Lost", { candidates: [] })); // true
 * ```
 */
export class ResponseLostError extends CtctError {
  override name = "ResponseLostError" as const;
  /** The ids of activities that may be the one created. */
  readonly candidates: readonly string[];

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `candidates`.
   */
  constructor(message: string, options: ResponseLostErrorOptions = {}) {
    super(message, options);
    this.candidates = options.candidates ?? [];
    markError(this, marker);
  }

  /**
   * Whether `value` is a `ResponseLostError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `ResponseLostError`.
   */
  static override isInstance(value: unknown): value is ResponseLostError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
