/**
 * A contact row that cannot travel in any request: with the header line, its form-encoded size
 * is over the chunker's limit. Names the row's source line (line 1 when the header alone is too
 * large).
 *
 * @example Reporting the row
 * ```ts
 * import { RowTooLargeError } from "@ctct-bulk/core";
 * const error = new RowTooLargeError(12, 2_000_000, 1_900_000);
 * error.line; // 12
 * error.message; // "Row at line 12 is too large for one request: 2000000 bytes once form-encoded with the header, over the limit of 1900000"
 * ```
 */
export class RowTooLargeError extends RangeError {
  override readonly name = "RowTooLargeError" as const;
  /** The source line where the row starts (1 for the header). */
  readonly line: number;
  /** The form-encoded size of the header line and this row. */
  readonly encodedBytes: number;
  /** The limit it is over. */
  readonly maxEncodedBytes: number;

  /**
   * @param line The source line where the row starts (1 for the header).
   * @param encodedBytes The form-encoded size of the header line and this row.
   * @param maxEncodedBytes The limit it is over.
   */
  constructor(line: number, encodedBytes: number, maxEncodedBytes: number) {
    super(
      `${line === 1 ? "Header" : "Row"} at line ${line} is too large for one request: ${encodedBytes} bytes once form-encoded${line === 1 ? "" : " with the header"}, over the limit of ${maxEncodedBytes}`,
    );
    this.line = line;
    this.encodedBytes = encodedBytes;
    this.maxEncodedBytes = maxEncodedBytes;
  }

  /**
   * Whether a value is a {@linkcode RowTooLargeError}, also when it comes from another copy of
   * this package (it checks the `name`).
   *
   * @param value Anything, typically a caught error.
   * @returns `true` when `value` is a `RowTooLargeError`.
   *
   * @example Guarding a caught value
   * ```ts
   * import { RowTooLargeError } from "@ctct-bulk/core";
   * RowTooLargeError.isInstance(new RowTooLargeError(3, 10, 5)); // true
   * RowTooLargeError.isInstance(new RangeError("Too large")); // false
   * ```
   */
  static isInstance(value: unknown): value is RowTooLargeError {
    return (
      value instanceof Error &&
      value.name === "RowTooLargeError" &&
      typeof (value as { line?: unknown }).line === "number"
    );
  }
}
