import { XmlError } from "./xml-error.ts";

/**
 * A document refused before it was parsed because it declares a document type or entities
 * (`<!DOCTYPE`, `<!ENTITY`). The API never sends either; refusing them outright rules out entity
 * expansion bombs ("billion laughs") and external entities (a server's files or network fetched
 * through the parser). An HTML page with `<!DOCTYPE html>` is refused the same way, and the message
 * says that it looks like HTML.
 *
 * @example A document with an internal subset
 * ```ts
 * import { parseActivityFeed, XmlEntityError } from "@ctct-bulk/core";
 * try {
 *   parseActivityFeed('<!DOCTYPE feed [<!ENTITY a "aaaa">]><feed>&a;</feed>');
 * } catch (error) {
 *   XmlEntityError.isInstance(error); // true
 * }
 * ```
 */
export class XmlEntityError extends XmlError {
  override readonly name: string = "XmlEntityError";
  /** The offset (in UTF-16 code units) of the refused declaration in the document. */
  readonly offset: number;

  /**
   * @param message What was refused, and where.
   * @param offset The offset of the refused declaration in the document.
   */
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }

  /**
   * Whether a value is an {@linkcode XmlEntityError}, also when it comes from another copy of this
   * package (it checks the `name`).
   *
   * @param value Anything, typically a caught error.
   * @returns `true` when `value` is an `XmlEntityError`.
   *
   * @example Guarding a caught value
   * ```ts
   * import { XmlEntityError } from "@ctct-bulk/core";
   * XmlEntityError.isInstance(new XmlEntityError("Refused a DOCTYPE declaration", 0)); // true
   * ```
   */
  static override isInstance(value: unknown): value is XmlEntityError {
    return value instanceof Error && value.name === "XmlEntityError";
  }
}
