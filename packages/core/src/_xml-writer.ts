// Writing the API's XML with plain templates, not XMLBuilder: they give the seeds' exact shape (`<link href="" />`, attribute order, `xmlns` placement).

/** The XML declaration the recorded responses start with. */
export const XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>";

/** The Atom namespace. */
export const ATOM_NAMESPACE = "http://www.w3.org/2005/Atom";

/** The namespace of the API's own elements (`Activity`, `ContactList`, …). */
export const CTCT_NAMESPACE = "http://ws.constantcontact.com/ns/1.0/";

/** The content type of an entry's `<content>`. */
export const CTCT_CONTENT_TYPE = "application/vnd.ctct+xml";

// Characters XML 1.0 cannot carry at all, not even as references: C0 controls other than tab, LF
// and CR, lone surrogates, U+FFFE and U+FFFF. They become U+FFFD (see ADR 0022).
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to replace
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"'\t\n\r]/g;
const REFERENCES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
const reference = (character: string): string => REFERENCES[character]!;

/**
 * Escapes text content: `&`, `<`, `>`, and CR (which a parser would otherwise turn into LF).
 * Characters XML cannot carry become U+FFFD.
 */
export function escapeText(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(TEXT_SPECIAL, reference);
}

/**
 * Escapes an attribute value (double-quoted): also quotes, and tab/LF/CR (which a parser would
 * otherwise turn into spaces).
 */
export function escapeAttribute(text: string): string {
  return text.replace(NOT_XML, "\uFFFD").replace(ATTRIBUTE_SPECIAL, reference);
}

/** Lines of an XML document, two spaces of indent a level, as the recorded responses are. */
export class XmlLines {
  readonly #lines: string[] = [];

  /** Adds one line at a depth. */
  line(depth: number, text: string): void {
    this.#lines.push("  ".repeat(depth) + text);
  }

  /** Adds `<name>text</name>` (escaped; never self-closed, as the API writes empty elements). */
  element(depth: number, name: string, text: string): void {
    this.line(depth, `<${name}>${escapeText(text)}</${name}>`);
  }

  /** Adds `<link href="…" />` with an optional `rel`. */
  link(depth: number, href: string, rel?: string): void {
    const relAttribute = rel === undefined ? "" : ` rel="${escapeAttribute(rel)}"`;
    this.line(depth, `<link href="${escapeAttribute(href)}"${relAttribute} />`);
  }

  /** The document, lines joined by LF, no line break at the end (as recorded). */
  toString(): string {
    return this.#lines.join("\n");
  }
}

/** The absolute path of a URI (`http://host/ws/…` → `/ws/…`); a path stays as it is. */
export function pathOf(uri: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(uri);
  return match === null ? uri : (match[1] ?? "/");
}
