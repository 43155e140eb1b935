/**
 * Why an XML document could not be mapped: it is not well-formed, or it is well-formed but not the
 * document that was expected (an HTML error page where an Atom `<entry>` should be, an `<Activity>`
 * without a `<Status>`, a `<TransactionCount>` that is not a number). The message names what was
 * expected and what was found; `element` names the element at fault when there is one.
 *
 * @example Catching a proxy's HTML error page
 * ```ts
 * import { parseActivityEntry, XmlError } from "@ctct-bulk/core";
 * try {
 *   parseActivityEntry("<html><body>Bad gateway</body></html>");
 * } catch (error) {
 *   if (XmlError.isInstance(error)) error.message; // "Expected an Atom <entry> element: got <html>"
 * }
 * ```
 */
export class XmlError extends SyntaxError {
  override readonly name: string = "XmlError";
  /** The local name of the element at fault (e.g. `"Status"`), when the fault is in one element. */
  readonly element: string | undefined;
  /** The line (1-based) of the fault in the document, when known (strict parsing). */
  readonly line: number | undefined;
  /** The column (1-based) of the fault in its line, when known (strict parsing). */
  readonly column: number | undefined;

  /**
   * @param message What was expected and what was found.
   * @param options `element`: the element at fault; `line`, `column`: where; `cause`: the
   *   underlying error.
   */
  constructor(
    message: string,
    options?: { element?: string; line?: number; column?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.element = options?.element;
    this.line = options?.line;
    this.column = options?.column;
  }

  /**
   * Whether a value is an {@linkcode XmlError} (or an `XmlEntityError`), also when it comes from
   * another copy of this package (it checks the `name`).
   *
   * @param value Anything, typically a caught error.
   * @returns `true` when `value` is an `XmlError`.
   *
   * @example Guarding a caught value
   * ```ts
   * import { XmlError } from "@ctct-bulk/core";
   * XmlError.isInstance(new XmlError("Expected an Atom <feed> element: got <html>")); // true
   * XmlError.isInstance(new SyntaxError("Unexpected token")); // false
   * ```
   */
  static isInstance(value: unknown): value is XmlError {
    return value instanceof Error && (value.name === "XmlError" || value.name === "XmlEntityError");
  }
}
