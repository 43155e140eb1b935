import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/AmbiguousListNameError");

/** The fields of a {@linkcode AmbiguousListNameError}. */
export interface AmbiguousListNameErrorOptions extends CtctErrorOptions {
  /** The name asked for. */
  list?: string;
  /** The URIs of the lists with that name. */
  candidates?: readonly string[];
}

/**
 * More than one contact list has the name that was asked for (names are compared without regard to case).
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { AmbiguousListNameError } from "@ctct-bulk/transport";
 * AmbiguousListNameError.isInstance(new AmbiguousListNameError("Ambiguous", { list: "VIP", candidates: [] })); // true
 * ```
 */
export class AmbiguousListNameError extends CtctError {
  override name = "AmbiguousListNameError" as const;
  /** The name asked for. */
  readonly list: string | undefined;
  /** The URIs of the lists with that name. */
  readonly candidates: readonly string[];

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `list`, `candidates`.
   */
  constructor(message: string, options: AmbiguousListNameErrorOptions = {}) {
    super(message, options);
    this.list = options.list;
    this.candidates = options.candidates ?? [];
    markError(this, marker);
  }

  /**
   * Whether `value` is a `AmbiguousListNameError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `AmbiguousListNameError`.
   */
  static override isInstance(value: unknown): value is AmbiguousListNameError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
