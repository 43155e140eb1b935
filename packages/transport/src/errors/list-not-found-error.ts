import { CtctError, type CtctErrorOptions, markError } from "../ctct-error.ts";

const marker: unique symbol = Symbol.for("@ctct-bulk/transport/ListNotFoundError");

/** The fields of a {@linkcode ListNotFoundError}. */
export interface ListNotFoundErrorOptions extends CtctErrorOptions {
  /** What was asked for. */
  list?: string;
  /** The names of lists that are close, for a "did you mean". */
  candidates?: readonly string[];
}

/**
 * No contact list has the id, URI or name that was asked for.
 *
 * @example Recognising it, across copies of the package
 * ```ts
 * import { ListNotFoundError } from "@ctct-bulk/transport";
 * ListNotFoundError.isInstance(new ListNotFoundError("No list", { list: "VIP", candidates: [] })); // true
 * ```
 */
export class ListNotFoundError extends CtctError {
  override name = "ListNotFoundError" as const;
  /** What was asked for. */
  readonly list: string | undefined;
  /** The names of lists that are close, for a "did you mean". */
  readonly candidates: readonly string[];

  /**
   * @param message What went wrong (capital first, no trailing period).
   * @param options The request's method, URL, status and `cause`, and `list`, `candidates`.
   */
  constructor(message: string, options: ListNotFoundErrorOptions = {}) {
    super(message, options);
    this.list = options.list;
    this.candidates = options.candidates ?? [];
    markError(this, marker);
  }

  /**
   * Whether `value` is a `ListNotFoundError`, across copies of the package.
   *
   * @param value Anything caught.
   * @returns `true` when `value` is a `ListNotFoundError`.
   */
  static override isInstance(value: unknown): value is ListNotFoundError {
    return typeof value === "object" && value !== null && marker in value;
  }
}
