/**
 * Why a form-urlencoded body could not be decoded: a `%` escape that is not `%` followed by two
 * hexadecimal digits, or escaped bytes that are not UTF-8. Names the parameter (by its name as far
 * as it could be read) so that a server can answer `400 Bad Request` with a useful reason.
 *
 * @example Catching a malformed escape
 * ```ts
 * import { decodeFormBody, FormBodyError } from "@ctct-bulk/core";
 * try {
 *   decodeFormBody("activityType=SV_ADD&data=50%25+off%2");
 * } catch (error) {
 *   if (FormBodyError.isInstance(error)) error.parameter; // "data"
 * }
 * ```
 */
export class FormBodyError extends SyntaxError {
  override readonly name = "FormBodyError" as const;
  /** The name of the parameter whose name or value is malformed. */
  readonly parameter: string;
  /** The offset in the body (in UTF-16 code units) of the first malformed character. */
  readonly offset: number;

  /**
   * @param message The reason, worded for a `400 Bad Request` body.
   * @param parameter The name of the parameter whose name or value is malformed.
   * @param offset The offset in the body of the first malformed character.
   */
  constructor(message: string, parameter: string, offset: number) {
    super(message);
    this.parameter = parameter;
    this.offset = offset;
  }

  /**
   * Whether a value is a {@linkcode FormBodyError}, also when it comes from another copy of this
   * package (it checks the `name`).
   *
   * @param value Anything, typically a caught error.
   * @returns `true` when `value` is a `FormBodyError`.
   *
   * @example Guarding a caught value
   * ```ts
   * import { FormBodyError } from "@ctct-bulk/core";
   * FormBodyError.isInstance(new FormBodyError("Bad", "data", 0)); // true
   * FormBodyError.isInstance(new SyntaxError("Bad")); // false
   * ```
   */
  static isInstance(value: unknown): value is FormBodyError {
    return (
      value instanceof Error &&
      value.name === "FormBodyError" &&
      typeof (value as { parameter?: unknown }).parameter === "string"
    );
  }
}
