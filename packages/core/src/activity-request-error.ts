/**
 * A create-activity request whose parameters the server refuses: an unknown `activityType`, a
 * missing `lists` or `listId`, an unknown column, a malformed list URI, a value out of range. The
 * message is plain text worded for the `400 Bad Request` body; `parameter` names the culprit.
 *
 * @example Answering 400 on a bad request
 * ```ts
 * import { ActivityRequestError, parseActivityRequest } from "@ctct-bulk/core";
 * try {
 *   parseActivityRequest([["activityType", "SV_DELETE"]]);
 * } catch (error) {
 *   if (ActivityRequestError.isInstance(error)) error.parameter; // "activityType"
 * }
 * ```
 */
export class ActivityRequestError extends TypeError {
  override readonly name = "ActivityRequestError" as const;
  /** The parameter whose value is missing or wrong, e.g. `"lists"`. */
  readonly parameter: string;

  /**
   * @param message The reason, worded for a `400 Bad Request` body.
   * @param parameter The parameter whose value is missing or wrong.
   * @param options The underlying error, if any.
   */
  constructor(message: string, parameter: string, options?: { cause?: unknown }) {
    super(message, options);
    this.parameter = parameter;
  }

  /**
   * Whether a value is an {@linkcode ActivityRequestError}, also when it comes from another copy
   * of this package (it checks the `name`).
   *
   * @param value Anything, typically a caught error.
   * @returns `true` when `value` is an `ActivityRequestError`.
   *
   * @example Guarding a caught value
   * ```ts
   * import { ActivityRequestError } from "@ctct-bulk/core";
   * ActivityRequestError.isInstance(new ActivityRequestError("Bad", "lists")); // true
   * ActivityRequestError.isInstance(new TypeError("Bad")); // false
   * ```
   */
  static isInstance(value: unknown): value is ActivityRequestError {
    return (
      value instanceof Error &&
      value.name === "ActivityRequestError" &&
      typeof (value as { parameter?: unknown }).parameter === "string"
    );
  }
}
