// Reading the API's XML: one fast-xml-parser configuration shared by every parser, the checks made
// before and after it runs, and small typed accessors for the object tree it returns.
import { type X2jOptions, XMLParser, XMLValidator } from "fast-xml-parser";
import { XmlEntityError } from "./xml-entity-error.ts";
import { XmlError } from "./xml-error.ts";

/** Options of every `parse…()` function of the XML mapping. */
export interface XmlParseOptions {
  /**
   * Check that the whole document is well-formed XML (every end tag matching its start tag, no
   * repeated attribute, no bare `&`) before reading it, with fast-xml-parser's validator: an
   * `XmlError` with `line` and `column` otherwise. Off by default: the parsers already refuse
   * anything that is not the expected document; this adds the rest of XML's rules for about a
   * fifth more time (ADR 0021).
   */
  strict?: boolean;
}

/** An element as fast-xml-parser returns it: children by local name, attributes under `@_`. */
export type XmlNode = { readonly [name: string]: unknown };

/** Elements that may repeat; parsed as arrays even when there is one, so one entry = many. */
const REPEATED_ELEMENTS: ReadonlySet<string> = new Set([
  "entry",
  "link",
  "Errors",
  "Error",
  "workspace",
  "collection",
  "accept",
]);

const ENTITY_REFERENCE = /&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

function decodeReference(
  reference: string,
  decimal: string | undefined,
  hexadecimal: string | undefined,
  name: string | undefined,
): string {
  if (name !== undefined) return PREDEFINED_ENTITIES[name]!;
  const codePoint =
    decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hexadecimal!, 16);
  if (!isXmlCharacter(codePoint))
    throw new XmlError(`Invalid character reference "${reference}": not an XML character`);
  return String.fromCodePoint(codePoint);
}

function isXmlCharacter(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/**
 * Decodes XML's five predefined entities and character references (`&#13;`, `&#x1F600;`); any
 * other `&name;` is left as it is. Hand-written because fast-xml-parser decodes character
 * references only together with HTML's named entities, which XML does not have.
 */
export function decodeXmlEntities(text: string): string {
  return text.indexOf("&") === -1 ? text : text.replace(ENTITY_REFERENCE, decodeReference);
}

/**
 * The parser options every XML parser of this package uses (the benchmark's baseline parses with
 * exactly these). Values stay strings (no number guessing: an email `1e5@x.com` stays text) and
 * keep their whitespace (it is part of a message or a name); namespace prefixes are dropped, so
 * `atom:entry` and `ns1:Activity` read as `entry` and `Activity`.
 */
export const XML_PARSER_OPTIONS: X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // Callbacks get a path matcher, not a path string: building the string costs ~10% of a parse.
  jPath: false,
  entityDecoder: {
    setExternalEntities: () => {},
    addInputEntities: () => {},
    reset: () => {},
    setXmlVersion: () => {},
    decode: decodeXmlEntities,
  },
  isArray: (name: string, _path: unknown, _isLeaf: boolean, isAttribute: boolean): boolean =>
    !isAttribute && REPEATED_ELEMENTS.has(name),
};

const parser = new XMLParser(XML_PARSER_OPTIONS);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The first `<!DOCTYPE` or `<!ENTITY` (any case), wherever it is: one `indexOf` pass. */
function findDeclaration(text: string): { index: number; kind: string } | undefined {
  for (let index = text.indexOf("<!"); index !== -1; index = text.indexOf("<!", index + 2)) {
    const word = text.slice(index + 2, index + 9).toUpperCase();
    if (word === "DOCTYPE") return { index, kind: "DOCTYPE" };
    if (word.startsWith("ENTITY")) return { index, kind: "ENTITY" };
  }
  return undefined;
}

const ENCODING_DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/;

/**
 * The encoding of a document's bytes (XML 1.0 appendix F, as far as the API can need it): a UTF-16
 * byte order mark, else the XML declaration's `encoding`, else UTF-8.
 */
function encodingOf(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  let head = "";
  for (let index = 0; index < Math.min(bytes.length, 200); index++) {
    const byte = bytes[index]!;
    if (byte === 0x3e /* > */) break;
    head += String.fromCharCode(byte);
  }
  return ENCODING_DECLARATION.exec(head)?.[1]?.toLowerCase() ?? "utf-8";
}

/**
 * Turns bytes into text in the encoding they declare (UTF-8 unless a BOM or the XML declaration
 * says otherwise; a BOM is dropped), refusing bytes that are not in that encoding.
 */
function toText(input: string | Uint8Array): string {
  if (typeof input === "string") return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const encoding = encodingOf(input);
  let decoder = utf8;
  if (encoding !== "utf-8" && encoding !== "utf8") {
    try {
      decoder = new TextDecoder(encoding, { fatal: true });
    } catch (cause) {
      throw new XmlError(
        `Expected an XML document in an encoding this runtime knows: got encoding "${encoding}"`,
        { cause },
      );
    }
  }
  try {
    return decoder.decode(input);
  } catch (cause) {
    throw new XmlError(
      `Expected an XML document in ${decoder.encoding.toUpperCase()}: got bytes that are not ${decoder.encoding.toUpperCase()}`,
      { cause },
    );
  }
}

function refuseDeclarations(text: string, expected: string): void {
  const match = findDeclaration(text);
  if (match === undefined) return;
  const close = text.indexOf(">", match.index);
  const end = close === -1 ? match.index + 40 : Math.min(close + 1, match.index + 60);
  const declaration = text.slice(match.index, end).split(/[\r\n]/)[0]!;
  const html = /^<!doctype\s+html\b/i.test(declaration) ? " (the document looks like HTML)" : "";
  throw new XmlEntityError(
    `Refused a ${match.kind} declaration at offset ${match.index}: "${declaration}"${html}: ` +
      `expected ${expected} without document type or entity declarations`,
    match.index,
  );
}

/** The text after the root element, comments and processing instructions dropped. */
function endsWithEndTag(text: string, root: string): boolean {
  let end = text.length;
  for (;;) {
    while (end > 0 && text.charCodeAt(end - 1) <= 0x20) end--;
    if (text.startsWith("-->", end - 3)) end = text.lastIndexOf("<!--", end - 3);
    else if (text.startsWith("?>", end - 2)) end = text.lastIndexOf("<?", end - 2);
    else break;
    if (end < 0) return false;
  }
  if (text.charCodeAt(end - 1) !== 0x3e /* > */) return false;
  const start = text.lastIndexOf("<", end - 1);
  if (start < 0) return false;
  const tag = text.slice(start, end);
  if (tag.endsWith("/>")) return true; // a root written as an empty-element tag
  return new RegExp(`^</(?:[^\\s>:]+:)?${root}\\s*>$`).test(tag);
}

/**
 * Parses a document and returns its root element, after checking that it is the expected one.
 *
 * @param input The document, as text or UTF-8 bytes.
 * @param root The root's local name (`feed`, `entry`, `service`).
 * @param expected How the message names it (`an Atom <feed>`).
 */
export function readXmlDocument(
  input: string | Uint8Array,
  root: string,
  expected: string,
  options: XmlParseOptions | undefined,
): XmlNode {
  const text = toText(input);
  refuseDeclarations(text, `${expected} element`);
  if (options?.strict === true) {
    const verdict = XMLValidator.validate(text);
    if (verdict !== true) {
      const { msg, line, col } = verdict.err;
      throw new XmlError(
        `Expected ${expected} element: got malformed XML at line ${line}, column ${col} (${msg})`,
        { line, column: col },
      );
    }
  }
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text) as Record<string, unknown>;
  } catch (cause) {
    if (XmlError.isInstance(cause)) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new XmlError(`Expected ${expected} element: got malformed XML (${reason})`, { cause });
  }
  const names = Object.keys(document).filter((name) => name !== "#text");
  if (names.length === 0)
    throw new XmlError(
      `Expected ${expected} element: got ${text.trim() === "" ? "an empty document" : "no element"}`,
    );
  if (names.length > 1)
    throw new XmlError(
      `Expected ${expected} element: got ${names.length} root elements (${names.map((n) => `<${n}>`).join(", ")})`,
    );
  const name = names[0]!;
  if (name !== root) throw new XmlError(`Expected ${expected} element: got <${name}>`);
  let value = document[name];
  if (Array.isArray(value)) {
    // `entry` is always parsed as an array (it repeats in feeds); a document has one root.
    if (value.length !== 1)
      throw new XmlError(`Expected ${expected} element: got ${value.length} root elements`);
    value = value[0];
  }
  if (!endsWithEndTag(text, root))
    throw new XmlError(
      `Expected ${expected} element: got a document cut short (no </${root}> at its end)`,
      {
        element: root,
      },
    );
  return typeof value === "object" && value !== null ? (value as XmlNode) : {};
}

/** Where an element is, for messages: `<Status> in entry 3`. */
function where(element: string, context: string): string {
  return context === "" ? `<${element}>` : `<${element}> in ${context}`;
}

/**
 * A child element that may appear at most once, as a node (an element with attributes or
 * children); a text-only child is returned as a node with that `#text`.
 */
export function optionalElement(node: XmlNode, name: string, context: string): XmlNode | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  if (typeof value === "string") return { "#text": value };
  if (Array.isArray(value)) {
    if (value.length !== 1)
      throw new XmlError(`Expected one ${where(name, context)}: got ${value.length}`, {
        element: name,
      });
    const only = value[0];
    return typeof only === "string" ? { "#text": only } : (only as XmlNode);
  }
  return value as XmlNode;
}

/** A child element that must appear once. */
export function requiredElement(node: XmlNode, name: string, context: string): XmlNode {
  const element = optionalElement(node, name, context);
  if (element === undefined)
    throw new XmlError(`Expected ${where(name, context)}: got none`, { element: name });
  return element;
}

const NONE: readonly unknown[] = Object.freeze([]);

/** The elements of a repeated child (always an array, thanks to the parser's `isArray`). */
export function repeatedElements(node: XmlNode, name: string): readonly unknown[] {
  const value = node[name];
  if (value === undefined) return NONE;
  return Array.isArray(value) ? value : [value];
}

/** The text of a value as parsed: a string, or the `#text` of an element with attributes. */
export function textOfValue(value: unknown, name: string, context: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) {
    for (const key in value) {
      if (key !== "#text" && !key.startsWith("@_"))
        throw new XmlError(`Expected text in ${where(name, context)}: got the element <${key}>`, {
          element: name,
        });
    }
    const text = (value as XmlNode)["#text"];
    return typeof text === "string" ? text : "";
  }
  return "";
}

/** The text of a child that may appear at most once, exactly as written (entities decoded). */
export function optionalText(node: XmlNode, name: string, context: string): string | undefined {
  const value = node[name];
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    if (value.length !== 1)
      throw new XmlError(`Expected one ${where(name, context)}: got ${value.length}`, {
        element: name,
      });
    return textOfValue(value[0], name, context);
  }
  return textOfValue(value, name, context);
}

/** The text of a child that must appear once. */
export function requiredText(node: XmlNode, name: string, context: string): string {
  const text = optionalText(node, name, context);
  if (text === undefined)
    throw new XmlError(`Expected ${where(name, context)}: got none`, { element: name });
  return text;
}

/** An attribute's value (`key` is its name after the parser's `@_` prefix), or `undefined`. */
export function attribute(node: XmlNode, key: `@_${string}`): string | undefined {
  // The key comes whole (`"@_id"`), not built here: a built key costs a string and a slow lookup.
  const value = node[key];
  return typeof value === "string" ? value : undefined;
}

/** A non-negative integer, as in `<TransactionCount>`; empty text is `undefined`. */
export function readCount(
  text: string | undefined,
  name: string,
  context: string,
): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (!/^\d{1,15}$/.test(trimmed))
    throw new XmlError(`Expected a whole number in ${where(name, context)}: got "${trimmed}"`, {
      element: name,
    });
  return Number(trimmed);
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether a date and time of day exist (Date.parse itself takes February 31 and 24:00). */
function isRealDateTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** The number written by `count` ASCII digits at `start`, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Whether a text is already in `toISOString()`'s form (`2008-06-25T15:48:01.615Z`), as the API
 * writes every date: checked by hand, because this runs four times an activity (see the benchmark).
 */
function isCanonicalDateTime(text: string): boolean {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 /* . */ ||
    text.charCodeAt(23) !== 90 /* Z */ ||
    digitsAt(text, 20, 3) < 0
  )
    return false;
  return isRealDateTime(
    digitsAt(text, 0, 4),
    digitsAt(text, 5, 2),
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
  );
}

/**
 * An ISO 8601 date-time, normalized to `Date.prototype.toISOString()`'s form (UTC, milliseconds).
 * A time without an offset is read as UTC (the API writes `Z`); empty text is `undefined`.
 */
export function readDateTime(
  text: string | undefined,
  name: string,
  context: string,
): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (isCanonicalDateTime(trimmed)) return trimmed;
  const match = DATE_TIME.exec(trimmed);
  let time = Number.NaN;
  if (match !== null) {
    const [, year, month, day, hours, minutes, seconds = "00", fraction = "", offset = "Z"] = match;
    const zone =
      offset === "Z" || offset.includes(":") ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
    const milliseconds = `${fraction}000`.slice(0, 3);
    if (
      isRealDateTime(
        Number(year),
        Number(month),
        Number(day),
        Number(hours),
        Number(minutes),
        Number(seconds),
      )
    )
      time = Date.parse(
        `${year}-${month}-${day}T${hours}:${minutes}:${seconds}.${milliseconds}${zone}`,
      );
  }
  if (Number.isNaN(time))
    throw new XmlError(
      `Expected an ISO 8601 date-time in ${where(name, context)}: got "${trimmed}"`,
      {
        element: name,
      },
    );
  return new Date(time).toISOString();
}

/** `true`/`false` (also `Yes`/`No`, as `DisplayOnSignup` writes them); empty text is `undefined`. */
export function readBoolean(
  text: string | undefined,
  name: string,
  context: string,
): boolean | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "") return undefined;
  if (trimmed === "true" || trimmed === "yes") return true;
  if (trimmed === "false" || trimmed === "no") return false;
  throw new XmlError(
    `Expected true/false or Yes/No in ${where(name, context)}: got "${text.trim()}"`,
    { element: name },
  );
}

/** The `href`s of an element's `<link>` children, by `rel` (no `rel` = `alternate`). */
export function readLinks(node: XmlNode): Map<string, string> {
  const links = new Map<string, string>();
  const elements = node.link;
  if (elements === undefined) return links;
  for (const link of elements as unknown[]) {
    if (typeof link !== "object" || link === null) continue;
    const href = (link as XmlNode)["@_href"];
    if (typeof href !== "string") continue;
    const rel = (link as XmlNode)["@_rel"];
    const key = typeof rel === "string" ? rel.trim() : "alternate";
    if (!links.has(key)) links.set(key, href.trim());
  }
  return links;
}

/**
 * The `href` of an element's first `<link>` with this `rel` (`alternate` for a link without one),
 * `undefined` when absent or empty. {@linkcode readLinks} without the map, for the hot path.
 */
export function findLink(node: XmlNode, rel: string): string | undefined {
  const elements = node.link;
  if (elements === undefined) return undefined;
  for (const link of elements as unknown[]) {
    if (typeof link !== "object" || link === null) continue;
    const href = (link as XmlNode)["@_href"];
    if (typeof href !== "string") continue;
    const linkRel = (link as XmlNode)["@_rel"];
    if ((typeof linkRel === "string" ? linkRel.trim() : "alternate") !== rel) continue;
    const trimmed = href.trim();
    return trimmed === "" ? undefined : trimmed;
  }
  return undefined;
}

/** A link's `href`, `undefined` when absent or empty (`<link href="" />`). */
export function linkHref(links: Map<string, string>, rel: string): string | undefined {
  const href = links.get(rel);
  return href === undefined || href === "" ? undefined : href;
}
