// The Atom parts every document shares: a feed's own metadata, an entry's `<source>`.
import {
  linkHref,
  optionalElement,
  optionalText,
  readDateTime,
  readLinks,
  requiredText,
  type XmlNode,
} from "./_xml-reader.ts";
import { escapeText, type XmlLines } from "./_xml-writer.ts";
import type { AtomFeedInfo, AtomSource } from "./xml-atom.ts";

function readAuthor(node: XmlNode, context: string): string {
  const author = optionalElement(node, "author", context);
  if (author === undefined) return "";
  return optionalText(author, "name", `<author> of ${context}`) ?? "";
}

/** Reads a feed's metadata (not its entries). */
export function readFeedInfo(feed: XmlNode, context: string): AtomFeedInfo {
  const links = readLinks(feed);
  return {
    id: requiredText(feed, "id", context).trim(),
    title: optionalText(feed, "title", context) ?? "",
    author: readAuthor(feed, context),
    updated: readDateTime(optionalText(feed, "updated", context), "updated", context),
    alternateLink: linkHref(links, "alternate"),
    selfLink: linkHref(links, "self"),
    firstLink: linkHref(links, "first"),
    currentLink: linkHref(links, "current"),
    nextLink: linkHref(links, "next"),
  };
}

/** Reads an entry's `<source>`, if it has one. */
export function readSource(entry: XmlNode, context: string): AtomSource | undefined {
  const source = optionalElement(entry, "source", context);
  if (source === undefined) return undefined;
  const sourceContext = `<source> of ${context}`;
  const links = readLinks(source);
  return {
    id: requiredText(source, "id", sourceContext).trim(),
    title: optionalText(source, "title", sourceContext) ?? "",
    author: readAuthor(source, sourceContext),
    updated: readDateTime(optionalText(source, "updated", sourceContext), "updated", sourceContext),
    alternateLink: linkHref(links, "alternate"),
    selfLink: linkHref(links, "self"),
  };
}

/** `<title type="text">…</title>`. */
export function writeTitle(lines: XmlLines, depth: number, title: string): void {
  lines.line(depth, `<title type="text">${escapeText(title)}</title>`);
}

/** `<author><name>…</name></author>` on three lines. */
export function writeAuthor(lines: XmlLines, depth: number, name: string): void {
  lines.line(depth, "<author>");
  lines.element(depth + 1, "name", name);
  lines.line(depth, "</author>");
}

/** The metadata shared by a feed and a `<source>`: id, title, the two links, author, updated. */
function writeHead(lines: XmlLines, depth: number, info: AtomSource): void {
  lines.element(depth, "id", info.id);
  writeTitle(lines, depth, info.title);
  lines.link(depth, info.alternateLink ?? "");
  lines.link(depth, info.selfLink ?? "", "self");
  writeAuthor(lines, depth, info.author);
  lines.element(depth, "updated", info.updated ?? "");
}

/** A feed's metadata, then its paging links, as the recorded lists feed has them. */
export function writeFeedInfo(lines: XmlLines, depth: number, info: AtomFeedInfo): void {
  writeHead(lines, depth, info);
  if (info.firstLink !== undefined) lines.link(depth, info.firstLink, "first");
  if (info.currentLink !== undefined) lines.link(depth, info.currentLink, "current");
  if (info.nextLink !== undefined) lines.link(depth, info.nextLink, "next");
}

/** An entry's `<source>`. */
export function writeSource(lines: XmlLines, depth: number, source: AtomSource): void {
  lines.line(depth, "<source>");
  writeHead(lines, depth + 1, source);
  lines.line(depth, "</source>");
}
