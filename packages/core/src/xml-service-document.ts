import {
  attribute,
  optionalText,
  readXmlDocument,
  repeatedElements,
  type XmlNode,
  type XmlParseOptions,
} from "./_xml-reader.ts";
import { escapeAttribute, escapeText, XML_DECLARATION, XmlLines } from "./_xml-writer.ts";

/** A collection the service document names, and the media types it accepts. */
export interface ServiceCollection {
  /** The collection's URI as written (an absolute path, `/ws/customers/{username}/activities`). */
  href: string;
  /** `<atom:title>`: `Contact Lists`, `Bulk Activity`. */
  title: string;
  /** `<accept>`: what a POST to the collection may send. */
  accept: string[];
}

/** The Atom service document of an account (`GET /ws/customers/{username}`). */
export interface ServiceDocument {
  /** The workspace's `<atom:title>`. */
  title: string;
  /** The collections of the (single) workspace. */
  collections: ServiceCollection[];
}

const APP_NAMESPACE = "http://www.w3.org/2007/app";
const ATOM_NAMESPACE = "http://www.w3.org/2005/Atom";

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  const text = (value as XmlNode | undefined)?.["#text"];
  return typeof text === "string" ? text : "";
}

/**
 * Maps the account's service document (old clients fetch it to check credentials).
 *
 * @param xml The response body, as text or as bytes (UTF-8 unless a BOM or its XML declaration
 *   says otherwise).
 * @param options `strict`: check every well-formedness rule of XML first ({@linkcode XmlParseOptions}).
 * @returns The first workspace's title and collections.
 * @throws {XmlEntityError} When the document declares a DOCTYPE or entities.
 * @throws {XmlError} When it is not well-formed or not an Atom `<service>` document.
 *
 * @example The activities collection accepts both form encodings
 * ```ts
 * import { parseServiceDocument, renderServiceDocument } from "@ctct-bulk/core";
 * const service = parseServiceDocument(renderServiceDocument("joesflowers"));
 * service.collections[1]?.accept; // ["application/x-www-form-urlencoded", "multipart/form-data"]
 * ```
 */
export function parseServiceDocument(
  xml: string | Uint8Array,
  options?: XmlParseOptions,
): ServiceDocument {
  const service = readXmlDocument(xml, "service", "an Atom <service>", options);
  const workspace = repeatedElements(service, "workspace")[0] as XmlNode | undefined;
  if (workspace === undefined || typeof workspace !== "object")
    return { title: "", collections: [] };
  const collections: ServiceCollection[] = [];
  for (const value of repeatedElements(workspace, "collection")) {
    const collection = (typeof value === "object" && value !== null ? value : {}) as XmlNode;
    collections.push({
      href: (attribute(collection, "@_href") ?? "").trim(),
      title: optionalText(collection, "title", "<collection>") ?? "",
      accept: repeatedElements(collection, "accept").map((accept) => textOf(accept).trim()),
    });
  }
  return { title: optionalText(workspace, "title", "<workspace>") ?? "", collections };
}

/**
 * Writes an account's service document (the fake server's answer to `GET /ws/customers/{username}`),
 * byte for byte as recorded: the lists collection, then the activities collection accepting
 * `application/x-www-form-urlencoded` and `multipart/form-data`.
 *
 * @param username The account's username.
 * @returns The XML document (with its XML declaration, no line break at the end).
 *
 * @example Collections under the account's path
 * ```ts
 * import { renderServiceDocument } from "@ctct-bulk/core";
 * renderServiceDocument("joesflowers").includes('<collection href="/ws/customers/joesflowers/activities">'); // true
 * ```
 */
export function renderServiceDocument(username: string): string {
  const base = `/ws/customers/${username}`;
  const lines = new XmlLines();
  lines.line(0, XML_DECLARATION);
  lines.line(0, `<service xmlns="${APP_NAMESPACE}" xmlns:atom="${ATOM_NAMESPACE}">`);
  lines.line(1, "<workspace>");
  lines.line(
    2,
    '<atom:title type="text">Constant Contact Web Services Customer Workspace</atom:title>',
  );
  const collections: [string, string, string[]][] = [
    ["lists", "Contact Lists", ["application/atom+xml; type=entry"]],
    ["activities", "Bulk Activity", ["application/x-www-form-urlencoded", "multipart/form-data"]],
  ];
  for (const [path, title, accepts] of collections) {
    lines.line(2, `<collection href="${escapeAttribute(`${base}/${path}`)}">`);
    lines.line(3, `<atom:title type="text">${escapeText(title)}</atom:title>`);
    for (const accept of accepts) lines.element(3, "accept", accept);
    lines.line(2, "</collection>");
  }
  lines.line(1, "</workspace>");
  lines.line(0, "</service>");
  return lines.toString();
}
